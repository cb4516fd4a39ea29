import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DictionaryBinding, FuzzerData } from './fuzz-fixtures.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');

/**
 * The path of the pinned `st` executable, installed on first use by scripts/ensure-schemathesis.sh
 * (which `npm test` runs too; ~10 ms when it is there). Synchronous: call it before the API serves.
 */
export function ensureSchemathesis(): string {
  const result = spawnSync('bash', [join(REPO, 'scripts/ensure-schemathesis.sh')], { encoding: 'utf8', timeout: 600_000 });
  if (result.status !== 0) throw new Error(`scripts/ensure-schemathesis.sh failed (${result.status ?? result.signal}):\n${result.stderr}`);
  const path = result.stdout.trim().split('\n').at(-1);
  if (path === undefined || path === '') throw new Error(`scripts/ensure-schemathesis.sh printed no path:\n${result.stdout}`);
  return path;
}

export interface SchemathesisRun {
  /** `st` exit code: 0 when every check passed, 1 when something failed. */
  readonly exitCode: number | null;
  /** Its console output (summary, every failure with a curl line to reproduce it). */
  readonly output: string;
  /** One entry per failing or erroring test of the JUnit report (an operation, or the stateful run). */
  readonly failures: readonly { readonly test: string; readonly kind: 'failure' | 'error'; readonly codes: string; readonly text: string }[];
  /** Test cases of the JUnit report (operations + stateful), to prove it ran at all. */
  readonly tests: number;
  readonly seconds: number;
}

export interface SchemathesisOptions {
  readonly st: string;
  readonly schemaUrl: string;
  readonly bearerToken: string;
  readonly data: FuzzerData;
  /**
   * The checks to run, written into the config file rather than passed as `--checks`: schemathesis
   * applies command-line checks above every config level, so a per-operation `enabled = false`
   * (see `emptiedByDelete`) would silently lose to them.
   */
  readonly checks: readonly string[];
  /** `st run` arguments besides location, auth, config and reports. */
  readonly args: readonly string[];
  /** Kill it after this long (the test's own budget). */
  readonly timeoutMs: number;
  /** Keep the config and the JUnit + NDJSON reports (every request and response) here instead of a scratch dir. */
  readonly keepReportsIn?: string | undefined;
}

/**
 * Runs `st run` against a live API, asynchronously (the API under test serves from this process),
 * in a scratch directory (no `.hypothesis/` or report left in the clone), and reads its JUnit report.
 */
export async function runSchemathesis(options: SchemathesisOptions): Promise<SchemathesisRun> {
  const scratch = options.keepReportsIn === undefined ? mkdtempSync(join(tmpdir(), 'lanyard-schemathesis-')) : resolve(options.keepReportsIn);
  mkdirSync(scratch, { recursive: true });
  try {
    const config = join(scratch, 'schemathesis.toml');
    writeFileSync(config, toToml(options.data, options.checks));
    const reports = join(scratch, 'reports');
    const args = ['--config-file', config, 'run', options.schemaUrl, '--header', `Authorization: Bearer ${options.bearerToken}`, ...options.args, '--report', options.keepReportsIn === undefined ? 'junit' : 'junit,ndjson', '--report-dir', reports];
    const started = Date.now();
    const { exitCode, output } = await new Promise<{ exitCode: number | null; output: string }>((done, fail) => {
      // No FORCE_COLOR: rich (schemathesis's output) takes any value of it, "0" included, as "this
      // is a terminal" and redraws a live progress display all run long.
      const { FORCE_COLOR: _forced, ...env } = process.env;
      const child = spawn(options.st, args, { cwd: scratch, env: { ...env, NO_COLOR: '1', COLUMNS: '120' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
      child.on('error', fail);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        done({ exitCode: code, output: signal === null ? text : `${text}\n[schemathesis killed by ${signal} after ${options.timeoutMs} ms]` });
      });
    });
    const seconds = (Date.now() - started) / 1000;
    const junitFile = readdirSync(reports, { withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.xml') && statSync(join(reports, entry.name)).mtimeMs >= started)
      .sort((a, b) => a.name.localeCompare(b.name))
      .at(-1);
    if (junitFile === undefined) return { exitCode, output, failures: [{ test: 'schemathesis', kind: 'error', codes: 'no report', text: output.slice(-4000) }], tests: 0, seconds };
    return { exitCode, output, seconds, ...parseJunit(readFileSync(join(reports, junitFile.name), 'utf8')) };
  } finally {
    if (options.keepReportsIn === undefined) rmSync(scratch, { recursive: true, force: true });
  }
}

/** Every failure, as schemathesis wrote it (what failed, the response, a curl line), for the assertion message. */
export function describeFailures(run: SchemathesisRun): string {
  const blocks = run.failures.map((f) => `── ${f.kind} in ${f.test} (${f.codes}) ──\n${f.text.trim()}`);
  return `schemathesis found ${run.failures.length} failing test(s) (exit ${run.exitCode}, ${run.seconds.toFixed(0)} s):\n\n${blocks.join('\n\n')}\n\n${summary(run.output)}`;
}

/** The run's closing summary (phases, failure codes, counts), for logs. */
export function summary(output: string): string {
  const at = output.lastIndexOf('= SUMMARY');
  return at === -1 ? output.slice(-3000) : output.slice(output.lastIndexOf('\n', at) + 1);
}

function parseJunit(xml: string): Pick<SchemathesisRun, 'failures' | 'tests'> {
  const failures: Array<SchemathesisRun['failures'][number]> = [];
  let tests = 0;
  for (const testcase of xml.matchAll(/<testcase\b([^>]*?)(?:\/>|>([\s\S]*?)<\/testcase>)/g)) {
    tests += 1;
    const test = unescapeXml(/\bname="([^"]*)"/.exec(testcase[1]!)?.[1] ?? '?');
    for (const problem of (testcase[2] ?? '').matchAll(/<(failure|error)\b([^>]*)>([\s\S]*?)<\/\1>/g)) {
      failures.push({ test, kind: problem[1] as 'failure' | 'error', codes: unescapeXml(/\bmessage="([^"]*)"/.exec(problem[2]!)?.[1] ?? ''), text: unescapeXml(problem[3]!) });
    }
  }
  return { failures, tests };
}

function unescapeXml(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#([0-9]+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** schemathesis.toml: the checks, the dictionaries and which path parameters they fill (JSON strings are TOML basic strings). */
function toToml(data: FuzzerData, checks: readonly string[]): string {
  const q = (text: string) => JSON.stringify(text);
  const table = (bindings: Readonly<Record<string, DictionaryBinding>>) =>
    Object.entries(bindings).map(([parameter, b]) => `${q(parameter)} = { dictionary = ${q(b.dictionary)}, probability = ${b.probability} }`);
  const lines: string[] = ['[checks]', 'enabled = false', ...checks.flatMap((check) => [`[checks.${check}]`, 'enabled = true']), ''];
  for (const [name, values] of Object.entries(data.dictionaries)) lines.push(`[dictionaries.${q(name)}]`, `values = [${values.map(q).join(', ')}]`, '');
  lines.push('[parameters]', ...table(data.parameters), '');
  for (const [operation, { parameters, reuseResponses, emptiedByDelete }] of Object.entries(data.operations)) {
    lines.push('[[operations]]', `include-name = ${q(operation)}`, '[operations.parameters]', ...table({ ...data.parameters, ...parameters }));
    if (!reuseResponses) {
      for (const phase of ['examples', 'coverage', 'fuzzing']) lines.push(`[operations.phases.${phase}.extra-data-sources]`, 'responses = false');
    }
    if (emptiedByDelete === true) lines.push('[operations.checks.use_after_free]', 'enabled = false');
    lines.push('');
  }
  return lines.join('\n');
}
