import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { createRedis } from '../../../src/infra/create-redis.js';
import { SlidingWindowLimiter } from '../../../src/domain/rate-limit/sliding-window-limiter.js';

describe('token endpoint rate limit (Redis sliding window, shared by replicas)', () => {
  const limit = 5;
  let api: TestApi;
  let admin: AdminClient;
  let secret: string;
  beforeAll(async () => {
    api = await startTestApi({ env: { RATE_LIMIT_TOKEN_PER_MINUTE: String(limit) } });
    admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
    secret = await registerClient('svc');
  });
  afterAll(() => api.close());

  /** A confidential client_credentials client, so a test can spend a budget of its own. */
  const registerClient = async (clientId: string): Promise<string> =>
    (await admin.put(`/tenants/acme/clients/${clientId}`, { type: 'confidential', grantTypes: ['client_credentials'] })).json().clientSecret;

  const request = (clientId: string, clientSecret = secret) =>
    api.app.inject({
      method: 'POST',
      url: '/tenants/acme/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }).toString(),
    });

  /** Spends a client's whole budget for the window: `limit` successful token requests. */
  const spendBudget = async (clientId: string, clientSecret: string) => {
    for (let i = 0; i < limit; i += 1) expect((await request(clientId, clientSecret)).statusCode).toBe(200);
  };

  it('allows the limit, then answers 429 with Retry-After and counts it', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await request('svc')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await request('svc');
    expect(refused.json().error).toBe('slow_down');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await api.metricsApp.inject('/metrics')).body).toMatch(/identity_rate_limited_requests_total\{tenant="acme",limiter="token"\} 3/);
  });

  it('keeps other clients unaffected', async () => {
    const exhaustedSecret = await registerClient('svc-exhausted');
    await spendBudget('svc-exhausted', exhaustedSecret);
    expect((await request('svc-exhausted', exhaustedSecret)).statusCode).toBe(429);
    expect((await request('someone-else')).statusCode).toBe(401);
  });

  it('is shared through Redis: another replica (its own connection, same prefix) sees the same window', async () => {
    const connection = createRedis(api.config.REDIS_URL, 'other-replica');
    try {
      // This replica (the API under test) spends svc-shared's whole budget; the other one must see it spent.
      await spendBudget('svc-shared', await registerClient('svc-shared'));
      const otherReplica = new SlidingWindowLimiter(connection, api.config.REDIS_KEY_PREFIX, api.ctx.log, api.ctx.clock);
      expect((await otherReplica.hit('token', 'acme:svc-shared', limit, 60_000)).allowed).toBe(false);
      expect((await otherReplica.hit('token', 'acme:fresh', limit, 60_000)).allowed).toBe(true);
    } finally {
      connection.disconnect();
    }
  });
});
