// Checks that no test depends on another test of its file having run first: lists every test of
// the given files, runs each one alone (one vitest process per test, one at a time), and prints a
// table of test → pass/fail. Exits 1 when any test fails alone, 2 on a usage error.
//
//   node scripts/check-test-isolation.mjs [options] <file|directory>...
//
//     <file|directory>   test files, or directories searched recursively for *.test.ts
//     --grep <regex>     only tests whose full name ("describe > … > test") matches <regex>
//     --timeout <sec>    give up on one test's vitest run after <sec> seconds (default 600)
//     --logs <dir>       where each run's output is kept (default: a fresh directory in the OS temp dir);
//                        the table names the log of every test that did not pass
//     --list             only list the tests that would be run, run nothing
//
//   e.g. one file, or one test of it:
//     node scripts/check-test-isolation.mjs services/api/test/integration/oauth/client-credentials.test.ts
//     node scripts/check-test-isolation.mjs --grep 'counts outcomes' services/api/test/integration/oauth/client-credentials.test.ts
//   every integration and e2e file (about 50 min for ~440 tests on two cores: each run pays its file's setup, 1–10 s):
//     node scripts/check-test-isolation.mjs services/api/test/integration services/api/test/e2e \
//       services/worker/test/integration cdk8s/test/integration packages/dashboards/test/integration
//   the unit tests (about 7 min for ~300 tests):
//     node scripts/check-test-isolation.mjs services/api/test/unit services/worker/test/unit cdk8s/test/unit packages/*/test/unit
//
// A developer tool, not part of `npm test` (running every test alone is slow). Each test runs as
//   npx vitest run <file> -t '^<describe blocks and test name joined by spaces, regex-escaped>$'
// and counts as passed only when exactly that test ran and passed (read from vitest's JSON report),
// so a name pattern that matched nothing, or more than one test, shows up as a failure too, and so
// does a run whose hooks (beforeAll/afterAll) fail or that reports an unhandled error. Integration
// runs go through the integration project's global setup like any other run, against the real
// PostgreSQL/Redis/Kubernetes binaries, so those must be up (scripts/provision-services.sh).
// Tests listed as skipped or todo are reported as such and do not fail the check.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = (text) => process.stdout.write(`${text}\n`);
const fail = (message) => {
  process.stderr.write(`check-test-isolation: ${message}\n`);
  process.exit(2);
};

function parseArguments(argv) {
  const options = { paths: [], grep: undefined, timeoutSeconds: 600, logs: undefined, listOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const argument = argv[i];
    const value = () => argv[++i] ?? fail(`${argument} needs a value`);
    if (argument === '--grep') options.grep = new RegExp(value());
    else if (argument === '--timeout') options.timeoutSeconds = Number(value());
    else if (argument === '--logs') options.logs = resolve(value());
    else if (argument === '--list') options.listOnly = true;
    else if (argument === '-h' || argument === '--help') {
      out(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\nimport ')[0].replace(/^\/\/ ?/gm, ''));
      process.exit(0);
    } else if (argument.startsWith('-')) fail(`unknown option ${argument}`);
    else options.paths.push(argument);
  }
  if (options.paths.length === 0) fail('name at least one test file or directory (--help for usage)');
  if (!(options.timeoutSeconds > 0)) fail('--timeout needs a positive number of seconds');
  return options;
}

/** Test files under the given paths, relative to the repository root, sorted, without duplicates. */
function testFiles(paths) {
  const found = new Set();
  const walk = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false }) ?? fail(`no such file or directory: ${path}`);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') walk(join(path, entry));
    } else if (/\.test\.[cm]?[jt]sx?$/.test(path)) found.add(relative(repo, resolve(path)));
    else if (paths.includes(path)) fail(`not a test file: ${path}`);
  };
  for (const path of paths) walk(path);
  return [...found].sort();
}

function vitest(args, logFile, timeoutSeconds) {
  const result = spawnSync('npx', ['vitest', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
  });
  const timedOut = result.error?.code === 'ETIMEDOUT';
  // eslint-disable-next-line no-control-regex -- strips ANSI colours some tools print regardless
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.replace(/\u001b\[[0-9;]*m/g, '');
  writeFileSync(
    logFile,
    `$ npx vitest ${args.map((a) => (/^[\w./=-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ')}\n` +
      `exit ${result.status ?? result.signal}${timedOut ? ` (timed out after ${timeoutSeconds}s)` : ''}\n\n${output}`,
  );
  return { status: result.status, timedOut, output };
}

const readJson = (file) => {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
};

/** Every test of one file as vitest lists it: `{ name: 'describe > … > test', file, projectName }`. */
function listTests(file, logs) {
  const jsonFile = join(logs, 'list.json');
  rmSync(jsonFile, { force: true });
  const logFile = join(logs, `list-${file.replaceAll('/', '_')}.log`);
  const { status } = vitest(['list', `--json=${jsonFile}`, file], logFile, 300);
  const listed = readJson(jsonFile);
  if (status !== 0 || !Array.isArray(listed)) return { error: `vitest list failed, see ${logFile}` };
  return { tests: listed.filter((test) => resolve(test.file) === resolve(repo, file)) };
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * The -t pattern for exactly one test. vitest matches -t against the names of the describe blocks
 * and the test joined by spaces; `vitest list` joins them by " > ". A " > " inside a name is kept
 * ambiguous on purpose (space or " > "), so the pattern never misses the test; that a single test
 * ran is checked from the report afterwards.
 */
const exactNamePattern = (listedName) => `^${listedName.split(' > ').map(escapeRegExp).join('(?: | > )')}$`;

/** Runs one test alone; `pass`, `fail` or `skip`, and a short reason when not `pass`. */
function runAlone(file, test, logs, index, timeoutSeconds) {
  const jsonFile = join(logs, 'run.json');
  rmSync(jsonFile, { force: true });
  const logFile = join(logs, `${String(index).padStart(4, '0')}.log`);
  const { status, timedOut, output } = vitest(
    ['run', file, '-t', exactNamePattern(test.name), '--reporter=default', '--reporter=json', `--outputFile.json=${jsonFile}`],
    logFile,
    timeoutSeconds,
  );
  if (timedOut) return { outcome: 'fail', reason: `timed out after ${timeoutSeconds}s`, logFile };
  const report = readJson(jsonFile);
  const results = (report?.testResults ?? []).flatMap((fileResult) => fileResult.assertionResults ?? []);
  const ran = results.filter((result) => result.status !== 'skipped' && result.status !== 'pending' && result.status !== 'todo');
  const fullName = (result) => [...result.ancestorTitles, result.title].join(' > ');
  if (ran.length === 0) {
    const listedSkipped = results.some((result) => fullName(result) === test.name);
    if (listedSkipped && status === 0) return { outcome: 'skip', reason: 'skipped or todo in the file', logFile };
    // The JSON report leaves out why a suite failed (a failing beforeAll, an import error): take the
    // first error line of the console output instead.
    const fileError = report?.testResults?.find((fileResult) => fileResult.message)?.message || output.match(/^\s*(\w*Error: .*)$/m)?.[1];
    if (fileError) return { outcome: 'fail', reason: `a hook or the file failed before the test: ${fileError.split('\n')[0].slice(0, 160)}`, logFile };
    return { outcome: 'fail', reason: 'no test ran (the name matched nothing?)', logFile };
  }
  if (ran.length > 1) return { outcome: 'fail', reason: `${ran.length} tests matched the name`, logFile };
  const [only] = ran;
  if (fullName(only) !== test.name) return { outcome: 'fail', reason: `ran another test: ${fullName(only)}`, logFile };
  if (only.status !== 'passed') {
    return { outcome: 'fail', reason: (only.failureMessages?.[0] ?? only.status).split('\n')[0].slice(0, 160), logFile };
  }
  // A failing hook or an unhandled error fails the run even though the test itself passed.
  if (status !== 0) return { outcome: 'fail', reason: `vitest exited ${status} (hook failure or unhandled error?)`, logFile };
  return { outcome: 'pass', logFile };
}

function main() {
  const options = parseArguments(process.argv.slice(2));
  const files = testFiles(options.paths);
  if (files.length === 0) fail('no test files found');
  const logs = options.logs ?? mkdtempSync(join(tmpdir(), 'test-isolation-'));
  mkdirSync(logs, { recursive: true });

  const rows = [];
  const started = Date.now();
  let index = 0;
  for (const file of files) {
    const listed = listTests(file, logs);
    if (listed.error) {
      rows.push({ file, name: '(listing the file)', outcome: 'fail', reason: listed.error, seconds: 0 });
      out(`FAIL  ${file}: ${listed.error}`);
      continue;
    }
    const tests = listed.tests.filter((test) => !options.grep || options.grep.test(test.name));
    out(`${file}: ${tests.length} test${tests.length === 1 ? '' : 's'}`);
    for (const test of tests) {
      if (options.listOnly) {
        out(`      ${test.name}`);
        continue;
      }
      const testStarted = Date.now();
      const result = runAlone(file, test, logs, ++index, options.timeoutSeconds);
      const seconds = (Date.now() - testStarted) / 1000;
      rows.push({ file, name: test.name, ...result, seconds });
      out(`  ${result.outcome.toUpperCase().padEnd(4)}  ${test.name}  (${seconds.toFixed(1)}s)${result.reason ? `\n        ${result.reason}` : ''}`);
    }
  }
  if (options.listOnly) return 0;

  const counts = { pass: 0, fail: 0, skip: 0 };
  for (const row of rows) counts[row.outcome]++;
  out(`\nEach test run alone (${((Date.now() - started) / 1000).toFixed(0)}s, logs in ${logs}):\n`);
  out(`${'RESULT'.padEnd(6)}  TEST`);
  for (const row of rows) {
    out(`${row.outcome.toUpperCase().padEnd(6)}  ${row.file} > ${row.name}`);
    if (row.outcome !== 'pass') out(`${''.padEnd(6)}    ${row.reason}${row.logFile ? ` (${row.logFile})` : ''}`);
  }
  out(`\n${files.length} files, ${rows.length} tests: ${counts.pass} passed alone, ${counts.fail} failed alone, ${counts.skip} skipped`);
  return counts.fail > 0 ? 1 : 0;
}

process.exitCode = main();
