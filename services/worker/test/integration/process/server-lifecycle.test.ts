import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnvironment, testSecrets, uniqueRedisPrefix, type TestDatabase } from '@lanyard/testing';
import { freePort, spawnEntry } from '@lanyard/testing';

const ENTRY = 'services/worker/src/server.ts';

describe('worker configuration is validated once at start-up', () => {
  it.each([
    ['WORKER_PORT', { WORKER_PORT: 'eighty' }, /^invalid configuration: WORKER_PORT must be an integer$/],
    ['WORKER_PORT range', { WORKER_PORT: '70000' }, /^invalid configuration: WORKER_PORT must be at most 65535$/],
    ['SMTP_URL', { SMTP_URL: 'http://mail.example' }, /^invalid configuration: SMTP_URL must be a smtp:\/\/ or smtps:\/\/ URL$/],
    ['WORKER_DASHBOARD_PASSWORD', { WORKER_DASHBOARD_PASSWORD: 'short' }, /^invalid configuration: WORKER_DASHBOARD_PASSWORD must be at least 16 characters$/],
    ['WORKER_DASHBOARD_PASSWORD_FILE', { WORKER_DASHBOARD_PASSWORD_FILE: '/nonexistent/pw' }, /^WORKER_DASHBOARD_PASSWORD_FILE cannot be read \(ENOENT/],
  ])('a bad %s stops the process with exit 1 and one line naming it', async (_name, overrides, message) => {
    const worker = spawnEntry(ENTRY, { KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey, ...overrides });
    expect(await worker.exited).toBe(1);
    const lines = worker.stderr().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(worker.stdout()).toBe('');
  });
});

describe('the worker process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('listens on WORKER_HOST:WORKER_PORT, serves the dashboard and probes, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const worker = spawnEntry(ENTRY, {
      NODE_ENV: 'development',
      WORKER_HOST: '127.0.0.1',
      WORKER_PORT: String(port),
      DATABASE_URL: database.url,
      REDIS_URL: testEnvironment.redisUrl,
      REDIS_KEY_PREFIX: uniqueRedisPrefix(),
      KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
      SHUTDOWN_GRACE_SECONDS: '20',
    });
    try {
      await worker.waitFor('Server listening');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      const dashboard = await fetch(`http://127.0.0.1:${port}/`);
      expect(dashboard.status).toBe(200);
      expect(dashboard.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()).toContain('identity_queue_jobs{queue="maintenance"');
    } finally {
      worker.child.kill('SIGTERM');
    }
    expect(await worker.exited).toBe(0);
    const lines = worker.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const line of lines) {
      expect(line).toMatchObject({ service: 'worker', level: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), msg: expect.any(String) });
    }
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['worker started', 'shutting down', 'shutdown complete']));
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});
