import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** Repository root (tests read and re-generate files there). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program without a shell and returns what it printed, whatever its exit status. */
export function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): RunResult {
  const result = spawnSync(command, [...args], {
    cwd: options.cwd ?? repoRoot,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error !== undefined) throw new Error(`${command} could not be started: ${result.error.message}`);
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** {@link run}, failing with the command's own output when it exits non-zero. */
export function mustRun(command: string, args: readonly string[], options: Parameters<typeof run>[2] = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** A binary provisioned by one of our scripts; missing tools fail the test, they never skip it. */
function provisioned(tool: string): string {
  const result = run('bash', [join(repoRoot, 'scripts/ensure-k8s-tool.sh'), tool]);
  const path = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || path === '') throw new Error(`${tool} is not available and scripts/ensure-k8s-tool.sh could not build it:\n${result.stderr}`);
  return path;
}

let helmPath: string | undefined;
/** helm v3 from the Kubernetes test tools (scripts/build-k8s-test-bins.sh, via ensure-k8s-tool.sh). */
export const helmBinary = (): string => (helmPath ??= provisioned('helm'));

let tiltPath: string | undefined;
/** tilt, built from its Go module with the other test tools (`--with-tilt`) when not cached. */
export const tiltBinary = (): string => (tiltPath ??= provisioned('tilt'));

/** A system tool that CI installs (promtool from Debian's prometheus, docker-compose v1). */
export function systemTool(name: string, hint: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${name} is not installed (${hint}); CI provisions it, so this test fails instead of skipping.`);
}

let kubectlPath: string | undefined;
/** kubectl from the k8s test binaries (scripts/build-k8s-test-bins.sh), for server-side dry-runs. */
export function kubectlBinary(): string {
  return (kubectlPath ??= provisioned('kubectl'));
}

/** Hooks that may build helm or tilt from source on a fresh machine (minutes on 2 cores). */
export const PROVISION_TIMEOUT_MS = 900_000;

const tempDirs: string[] = [];
// Registered when a test file imports this module, so it runs after that file's tests.
afterAll(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary directory, removed after the test file that created it. */
export function tempDir(prefix: string, parent = tmpdir()): string {
  const dir = mkdtempSync(join(parent, `lanyard-${prefix}-`));
  tempDirs.push(dir);
  return dir;
}

let alloySyntaxPath: string | undefined;
/**
 * tools/alloy-syntax, built by scripts/build-alloy-syntax.sh on Grafana Alloy's own syntax module
 * (parser, formatter, evaluator) into ~/.cache/lanyard; seconds on a fresh machine, then cached.
 */
export function alloySyntaxBinary(): string {
  if (alloySyntaxPath !== undefined) return alloySyntaxPath;
  const result = run('bash', [join(repoRoot, 'scripts/build-alloy-syntax.sh')]);
  const path = result.stdout.trim().split('\n').pop() ?? '';
  if (result.status !== 0 || path === '') throw new Error(`scripts/build-alloy-syntax.sh could not build alloy-syntax:\n${result.stderr}`);
  return (alloySyntaxPath = path);
}
