import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
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

  it('what needs Redis answers 503 at once, never waiting on it, while the API stays ready (degraded) and tokens flow', async () => {
    const secret = await client('introspector');
    const flowing = await client('flowing');
    const accessToken = (await token('introspector', secret)).json().access_token as string;
    await admin.put('/tenants/acme/clients/web', {
      type: 'public',
      grantTypes: ['authorization_code'],
      redirectUris: ['https://app.acme.example/callback'],
      scopes: ['openid'],
    });
    const introspect = () =>
      api.app.inject({
        method: 'POST',
        url: '/tenants/acme/oauth2/introspect',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token: accessToken, client_id: 'introspector', client_secret: secret }).toString(),
      });
    const authorize = () =>
      api.app.inject(
        `/tenants/acme/oauth2/authorize?${new URLSearchParams({ response_type: 'code', client_id: 'web', redirect_uri: 'https://app.acme.example/callback', scope: 'openid', state: 's', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })}`,
      );
    expect((await introspect()).json()).toMatchObject({ active: true });
    const failuresBefore = api.logs.length;

    await stop(redis);
    for (let i = 0; i < 10; i += 1) {
      const refused = await introspect();
      expect(refused.statusCode).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable; retry shortly.' });
    }
    const page = await authorize();
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toContain('text/html');
    // After the first (which may have been sent before the client saw the socket close, and
    // failed with it), every refusal came from the connection state or the open circuit: none was
    // sent to Redis, none waited for a deadline.
    const reasons = api.logs.slice(failuresBefore).filter((line) => line.msg === 'request failed').map((line) => (line.err as { message: string }).message);
    expect(reasons).toHaveLength(11);
    expect(reasons.every((reason) => reason.startsWith('redis unavailable: ') && !reason.includes('no answer within'))).toBe(true);
    expect(reasons.slice(1).every((reason) => /^redis unavailable: (connection \w+|circuit open)$/.test(reason))).toBe(true);
    expect((await token('flowing', flowing)).statusCode).toBe(200);
    const ready = await api.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'degraded', checks: { database: 'ok', redis: 'unavailable', shutdown: 'ok' } });

    redis = await startRedis(port);
    await expect.poll(async () => (await introspect()).statusCode, { timeout: 15_000, interval: 250 }).toBe(200);
    expect((await authorize()).statusCode).toBe(303);
    expect((await api.app.inject('/readyz')).json().status).toBe('ready');
  });
});

/**
 * The bound for a Redis that is connected but does not answer (CLIENT PAUSE: a stalled or
 * overloaded server): the first call waits its deadline (REDIS_STORE_TIMEOUT_MS for Redis as a
 * store), opens the circuit, and the calls after it fail at once. All of it happens while Redis is
 * still paused. A reply that is only late, past the limiter's deadline but within the store's, is
 * waited for: the limiter falls back to its counters and nothing answers 503.
 */
describe('a Redis that stops answering', () => {
  let port: number;
  let redis: ChildProcess;
  let api: TestApi;
  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_COMMAND_TIMEOUT_MS: '50', REDIS_STORE_TIMEOUT_MS: '1000' } });
    const admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
    const secret = (await admin.put('/tenants/acme/clients/introspector', { type: 'confidential', grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'client_secret_post' })).json().clientSecret as string;
    const form = (body: Record<string, string>) => ({ method: 'POST' as const, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });
    issueToken = () => api.app.inject({ url: '/tenants/acme/oauth2/token', ...form({ grant_type: 'client_credentials', client_id: 'introspector', client_secret: secret }) });
    const accessToken = (await issueToken()).json().access_token as string;
    introspect = () => api.app.inject({ url: '/tenants/acme/oauth2/introspect', ...form({ token: accessToken, client_id: 'introspector', client_secret: secret }) });
  });
  afterAll(async () => {
    await api?.close();
    if (redis !== undefined) await stop(redis);
  });
  let issueToken: () => Promise<LightMyRequestResponse>;
  let introspect: () => Promise<LightMyRequestResponse>;
  const pause = async (ms: number) => {
    const { Redis } = await import('ioredis');
    const control = new Redis(`redis://127.0.0.1:${port}`);
    try {
      await control.call('CLIENT', 'PAUSE', String(ms), 'ALL');
    } finally {
      control.disconnect();
    }
  };

  it('waits for a reply that is late but within the store deadline: no 503, only the limiter falls back', async () => {
    expect((await introspect()).statusCode).toBe(200);
    const from = api.logs.length;
    await pause(300);
    // Both start inside the pause: the limiter's 50 ms deadline passes, the store's 1 s does not.
    const [token, introspection] = await Promise.all([issueToken(), introspect()]);
    expect(token.statusCode).toBe(200);
    expect(introspection.statusCode).toBe(200);
    expect(introspection.json().active).toBe(true);
    const warnings = api.logs.slice(from).map((line) => String(line.msg));
    expect(warnings).not.toContain('redis unreachable: logins, revocation checks and introspection answer 503');
    expect(warnings).toContain('redis unreachable: rate limits fall back to per-process counters');
    await expect.poll(async () => (await introspect()).statusCode, { timeout: 15_000, interval: 250 }).toBe(200);
  });

  it('costs one request the deadline, then every request fails at once until Redis answers again', async () => {
    expect((await introspect()).statusCode).toBe(200);

    const { Redis } = await import('ioredis');
    const witness = new Redis(`redis://127.0.0.1:${port}`);
    try {
      await pause(3000);
      // Answered only once the pause is over: everything that settles before it, settled during it.
      let pauseOver = false;
      const witnessed = witness.ping().then(() => (pauseOver = true));
      const from = api.logs.length;
      const statuses: number[] = [];
      for (let i = 0; i < 10; i += 1) statuses.push((await introspect()).statusCode);
      expect(pauseOver).toBe(false);
      expect(statuses).toEqual(Array(10).fill(503));
      const reasons = api.logs.slice(from).filter((line) => line.msg === 'request failed').map((line) => (line.err as { message: string }).message);
      expect(reasons[0]).toBe('redis unavailable: no answer within 1000 ms');
      expect(reasons.slice(1)).toEqual(Array(9).fill('redis unavailable: circuit open'));
      await witnessed;
      await expect.poll(async () => (await introspect()).statusCode, { timeout: 15_000, interval: 250 }).toBe(200);
    } finally {
      witness.disconnect();
    }
  });
});
