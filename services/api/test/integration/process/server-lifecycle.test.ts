import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testEnvironment, testSecrets, uniqueRedisPrefix, type TestDatabase } from '@lanyard/testing';
import { freePort, spawnEntry } from '@lanyard/testing';

describe('the API process', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  let metricsPort: number;
  beforeAll(async () => {
    metricsPort = await freePort();
  });
  const env = (port: number, extra: Record<string, string> = {}) => ({
    NODE_ENV: 'development',
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: database.url,
    REDIS_URL: testEnvironment.redisUrl,
    REDIS_KEY_PREFIX: uniqueRedisPrefix(),
    KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
    BOOTSTRAP_ADMIN_CLIENT_SECRET: testSecrets.bootstrapClientSecret,
    ...extra,
  });

  it('seeds the demo tenant in development, answers discovery and probes, and prints how to log in', async () => {
    const port = await freePort();
    const api = spawnEntry('services/api/src/server.ts', env(port, { SEED_DEMO: 'true' }));
    try {
      await api.waitFor('Server listening');
      expect(api.stdout()).toContain('User: demo@lanyard.local / demo-password-change-me');
      const discovery = await fetch(`http://127.0.0.1:${port}/tenants/demo/.well-known/openid-configuration`);
      expect(discovery.status).toBe(200);
      expect(((await discovery.json()) as { issuer: string }).issuer).toBe(`http://127.0.0.1:${port}/tenants/demo`);
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
      // metrics on their own listener only
      await api.waitFor(`Server listening at http://127.0.0.1:${metricsPort}`);
      const metrics = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toContain('# TYPE identity_db_pool_connections gauge');
      expect((await fetch(`http://127.0.0.1:${port}/metrics`)).status).toBe(404);
      const docs = await fetch(`http://127.0.0.1:${port}/docs/json`);
      const openapi = (await docs.json()) as { paths: Record<string, unknown> };
      expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/admin/v1/tenants/{tenant}', '/admin/v1/tenants/{tenant}/clients/{clientId}', '/admin/v1/tenants/{tenant}/users']));
      expect((await fetch(`http://127.0.0.1:${port}/docs`, { redirect: 'follow' })).status).toBe(200);
      // the demo SPA is served in development, configured for the demo tenant
      const spa = await fetch(`http://127.0.0.1:${port}/examples/spa/`);
      expect(spa.status).toBe(200);
      expect(spa.headers.get('content-security-policy')).toContain("script-src 'self'");
      const spaConfig = (await (await fetch(`http://127.0.0.1:${port}/examples/spa/config.json`)).json()) as Record<string, string>;
      expect(spaConfig).toMatchObject({ clientId: 'demo-spa', redirectUri: `http://127.0.0.1:${port}/examples/spa/callback` });
      // every log line is one JSON object with the contract's fields
      for (const line of api.stdout().split('\n').filter((l) => l.startsWith('{'))) {
        const entry = JSON.parse(line);
        expect(entry).toMatchObject({ service: 'api', level: expect.any(String), time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), msg: expect.any(String) });
      }
    } finally {
      api.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    }
    // a second start leaves the existing demo user alone
    const again = spawnEntry('services/api/src/server.ts', env(port, { SEED_DEMO: 'true' }));
    try {
      await again.waitFor('Server listening');
      expect(again.stdout()).toContain('already existed; password unchanged');
    } finally {
      again.child.kill('SIGTERM');
      await again.exited;
    }
  });

  it('on SIGTERM finishes the request in flight, refuses new work, and exits 0', async () => {
    const port = await freePort();
    const api = spawnEntry('services/api/src/server.ts', env(port));
    await api.waitFor('Server listening');
    // A request whose body is still arriving when SIGTERM lands: it must complete normally.
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/tenants/system/oauth2/token',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `Basic ${Buffer.from(`lanyard-admin:${encodeURIComponent(testSecrets.bootstrapClientSecret)}`).toString('base64')}`,
          },
        },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on('error', reject);
      req.write('grant_type=client_');
      setTimeout(() => {
        api.child.kill('SIGTERM');
        setTimeout(() => req.end('credentials&scope=lanyard%3Aadmin'), 300);
      }, 200);
    });
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).token_type).toBe('Bearer');
    expect(await api.exited).toBe(0);
    expect(api.stdout()).toContain('"msg":"shutdown complete"');
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('with SHUTDOWN_DRAIN_SECONDS, keeps serving new connections while not ready, then closes and exits 0', async () => {
    const port = await freePort();
    const api = spawnEntry('services/api/src/server.ts', env(port, { SHUTDOWN_DRAIN_SECONDS: '2' }));
    await api.waitFor('Server listening');
    api.child.kill('SIGTERM');
    await api.waitFor('draining: not ready, still serving');
    // A load balancer that has not yet seen readiness fail still sends new connections: served.
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`, { headers: { connection: 'close' } });
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: { shutdown: string } }).checks.shutdown).toBe('draining');
    const token = await fetch(`http://127.0.0.1:${port}/tenants/system/oauth2/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`lanyard-admin:${encodeURIComponent(testSecrets.bootstrapClientSecret)}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    // Kept-alive clients are told to reconnect (elsewhere) after this answer.
    expect(token.headers.get('connection')).toBe('close');
    expect(await api.exited).toBe(0);
    expect(api.stdout()).toContain('"msg":"shutdown complete"');
  });

  it('runs every thread but the main one (Argon2id’s pool among them) at HELPER_THREAD_NICENESS; 0 leaves them as started', async () => {
    /** Niceness of each thread of a process: field 19 of /proc/<pid>/task/<tid>/stat (after the `(comm)`). */
    const threadNiceness = (pid: number) =>
      readdirSync(`/proc/${pid}/task`).map((tid) => {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        return { tid: Number(tid), nice: Number(stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[16]) };
      });
    for (const setting of [7, 0]) {
      const port = await freePort();
      const api = spawnEntry('services/api/src/server.ts', env(port, { HELPER_THREAD_NICENESS: String(setting), UV_THREADPOOL_SIZE: '6' }));
      try {
        await api.waitFor('Server listening');
        const pid = api.child.pid!;
        const threads = threadNiceness(pid);
        const main = threads.find((t) => t.tid === pid)!;
        const helpers = threads.filter((t) => t.tid !== pid);
        expect(helpers.length).toBeGreaterThanOrEqual(6); // at least libuv's pool of 6
        for (const helper of helpers) expect(helper.nice).toBe(Math.max(setting, main.nice));
        const logged = api.stdout().includes('"msg":"helper threads deprioritised"');
        expect(logged).toBe(setting > 0);
        // The main thread, which answers requests, keeps the niceness it was started with.
        expect(main.nice).toBe(threadNiceness(process.pid).find((t) => t.tid === process.pid)!.nice);
      } finally {
        api.child.kill('SIGTERM');
        expect(await api.exited).toBe(0);
      }
    }
  });
});
