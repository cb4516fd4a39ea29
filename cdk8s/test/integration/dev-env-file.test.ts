import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadApiConfig, loadWorkerConfig } from '@lanyard/config';
import { describe, expect, it } from 'vitest';
import { mustRun, repoRoot, run, tempDir } from '../support/tools.js';

const SCRIPT = join(repoRoot, 'scripts/write-dev-env.sh');

/** Runs scripts/write-dev-env.sh under a deliberately loose umask, as a careless shell would have. */
const writeDevEnv = (target: string, umask = '000') => run('bash', ['-c', `umask ${umask} && exec bash "$0" "$1"`, SCRIPT, target]);

const mode = (path: string): number => statSync(path).mode & 0o777;

/** KEY=VALUE lines as up.sh exports them (comments and blank lines skipped, values verbatim). */
function readEnvFile(path: string): Record<string, string> {
  const entries = readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return Object.fromEntries(entries);
}

// `npm run up` writes .env with fresh secrets (scripts/up.sh → scripts/write-dev-env.sh).
describe('the development .env written by npm run up', () => {
  it('up.sh delegates the writing to scripts/write-dev-env.sh', () => {
    expect(readFileSync(join(repoRoot, 'scripts/up.sh'), 'utf8')).toMatch(/^bash scripts\/write-dev-env\.sh \.env$/m);
  });

  it('is created with mode 0600 whatever the umask, because it holds secrets', () => {
    for (const umask of ['000', '022', '002']) {
      const target = join(tempDir('dev-env'), '.env');
      const result = writeDevEnv(target, umask);
      expect(result.status, result.stderr).toBe(0);
      expect(mode(target).toString(8), `umask ${umask}`).toBe('600');
    }
  });

  it('leaves no temporary file behind next to it', () => {
    const dir = tempDir('dev-env');
    expect(writeDevEnv(join(dir, '.env')).status).toBe(0);
    expect(mustRun('ls', ['-A', dir]).trim().split('\n')).toEqual(['.env']);
  });

  it('holds fresh random secrets, different on every run, and a development configuration both processes accept', () => {
    const [first, second] = [0, 1].map(() => {
      const target = join(tempDir('dev-env'), '.env');
      expect(writeDevEnv(target).status).toBe(0);
      return readEnvFile(target);
    });
    for (const env of [first, second]) {
      expect(env).toMatchObject({ NODE_ENV: 'development', SEED_DEMO: 'true' });
      expect(Buffer.from(env?.KEY_ENCRYPTION_KEY ?? '', 'base64')).toHaveLength(32);
      expect(env?.BOOTSTRAP_ADMIN_CLIENT_SECRET).toMatch(/^[A-Za-z0-9]{32,}$/);
      expect(() => loadApiConfig(env)).not.toThrow();
      expect(() => loadWorkerConfig(env)).not.toThrow();
    }
    expect(first?.KEY_ENCRYPTION_KEY).not.toBe(second?.KEY_ENCRYPTION_KEY);
    expect(first?.BOOTSTRAP_ADMIN_CLIENT_SECRET).not.toBe(second?.BOOTSTRAP_ADMIN_CLIENT_SECRET);
    // Everything else is .env.example line for line.
    const example = readEnvFile(join(repoRoot, '.env.example'));
    expect(Object.keys(first ?? {})).toEqual(Object.keys(example));
  });

  it('never overwrites an existing .env (its keys stay valid), but takes group and other access away', () => {
    const target = join(tempDir('dev-env'), '.env');
    writeFileSync(target, 'KEY_ENCRYPTION_KEY=keep-me\n');
    chmodSync(target, 0o644);
    const result = writeDevEnv(target);
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/restricting it to its owner/);
    expect(readFileSync(target, 'utf8')).toBe('KEY_ENCRYPTION_KEY=keep-me\n');
    expect(mode(target).toString(8)).toBe('600');

    const again = writeDevEnv(target);
    expect(again.stderr).toBe('');
    expect(mode(target).toString(8)).toBe('600');
  });
});
