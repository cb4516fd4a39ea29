import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadWorkerConfig } from '@lanyard/config';

const required = { KEY_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') };

describe('worker configuration: dashboard auth', () => {
  it('defaults to user "admin" and no password (dashboard read-only, no auth)', () => {
    const config = loadWorkerConfig(required);
    expect(config.WORKER_DASHBOARD_USER).toBe('admin');
    expect(config.WORKER_DASHBOARD_PASSWORD).toBeUndefined();
    expect(loadWorkerConfig({ ...required, WORKER_DASHBOARD_PASSWORD: '' }).WORKER_DASHBOARD_PASSWORD).toBeUndefined();
  });

  it('takes a password of at least 16 characters, directly or from WORKER_DASHBOARD_PASSWORD_FILE', () => {
    expect(loadWorkerConfig({ ...required, WORKER_DASHBOARD_PASSWORD: 'x'.repeat(16) }).WORKER_DASHBOARD_PASSWORD).toBe('x'.repeat(16));
    const file = join(mkdtempSync(join(tmpdir(), 'lanyard-worker-')), 'password');
    writeFileSync(file, 'from-a-mounted-secret-file\n');
    expect(loadWorkerConfig({ ...required, WORKER_DASHBOARD_PASSWORD_FILE: file }).WORKER_DASHBOARD_PASSWORD).toBe('from-a-mounted-secret-file');
  });

  it.each([
    [{ WORKER_DASHBOARD_PASSWORD: 'too-short' }, 'invalid configuration: WORKER_DASHBOARD_PASSWORD must be at least 16 characters'],
    [{ WORKER_DASHBOARD_USER: 'ops:team' }, 'invalid configuration: WORKER_DASHBOARD_USER must not contain a colon or whitespace'],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadWorkerConfig({ ...required, ...env })).toThrow(new ConfigError(message));
  });
});
