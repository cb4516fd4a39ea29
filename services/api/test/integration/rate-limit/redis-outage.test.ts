import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@lanyard/testing';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { startTestApi, type TestApi } from '../../support/test-api.js';

/** A Redis of this test's own, so it can be stopped without touching the one other tests share. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Ready to accept connections')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
  });
  return child;
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve()).kill('SIGKILL')));

/**
 * The documented Redis outage policy (docs/reference/rate-limits.md): each process falls back to
 * its own counters at limit / RATE_LIMIT_REPLICAS, raises identity_rate_limiter_degraded, never
 * answers 5xx for it and never waits on Redis; once Redis is back the shared limits resume.
 */
describe('rate limits while Redis is down', () => {
  let port: number;
  let redis: ChildProcess;
  let api: TestApi;
  let admin: AdminClient;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, RATE_LIMIT_TOKEN_PER_MINUTE: '4', RATE_LIMIT_REPLICAS: '2' } });
    admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
  });
  afterAll(async () => {
    await api?.close();
    if (redis !== undefined) await stop(redis);
  });

  const client = async (id: string) => (await admin.put(`/tenants/acme/clients/${id}`, { type: 'confidential', grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'client_secret_post' })).json().clientSecret as string;
  const token = (id: string, secret: string) =>
    api.app.inject({
      method: 'POST',
      url: '/tenants/acme/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: id, client_secret: secret }).toString(),
    });
  const degraded = async () => /^identity_rate_limiter_degraded 1$/m.test((await api.metricsApp.inject("/metrics")).body);

  it('falls back to per-process limits (limit / replicas) with no 5xx, raises the gauge, then resumes the shared limits', async () => {
    const [during, after] = [await client('during-outage'), await client('after-outage')];
    expect(await degraded()).toBe(false);

    await stop(redis);
    const outage = [];
    for (let i = 0; i < 4; i += 1) outage.push((await token('during-outage', during)).statusCode);
    expect(outage).toEqual([200, 200, 429, 429]); // 4 per minute shared by 2 replicas: 2 here
    const refused = await token('during-outage', during);
    expect(refused.headers['ratelimit-policy']).toBe('"token";q=4;w=60');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await degraded()).toBe(true);
    expect(api.logs.some((l) => l.msg === 'redis unreachable: rate limits fall back to per-process counters')).toBe(true);

    redis = await startRedis(port);
    // The next call after the probe interval goes to Redis again and closes the circuit.
    await expect.poll(async () => (await token('after-outage', after)).statusCode === 200 && !(await degraded()), { timeout: 15_000, interval: 250 }).toBe(true);
    const resumed = [];
    for (let i = 0; i < 4; i += 1) resumed.push((await token('after-outage', after)).statusCode);
    // Redis came back empty; this client spent one in the probe loop above (or a few, if the
    // circuit was still open then), so the shared limit of 4 allows the rest and then refuses.
    expect(resumed.at(-1)).toBe(429);
    expect(resumed.filter((s) => s === 200).length).toBeLessThanOrEqual(3);
    expect(resumed.every((s) => s === 200 || s === 429)).toBe(true);
  });
});
