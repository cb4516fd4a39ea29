import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient } from '../../support/admin-client.js';
import { createRedis } from '../../../src/infra/create-redis.js';
import { SlidingWindowLimiter } from '../../../src/domain/rate-limit/sliding-window-limiter.js';

describe('token endpoint rate limit (Redis sliding window, shared by replicas)', () => {
  let api: TestApi;
  let secret: string;
  beforeAll(async () => {
    api = await startTestApi({ env: { RATE_LIMIT_TOKEN_PER_MINUTE: '5' } });
    const admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
    secret = (await admin.put('/tenants/acme/clients/svc', { type: 'confidential', grantTypes: ['client_credentials'] })).json().clientSecret;
  });
  afterAll(() => api.close());

  const request = (clientId: string) =>
    api.app.inject({
      method: 'POST',
      url: '/tenants/acme/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString(),
    });

  it('allows the limit, then answers 429 with Retry-After and counts it', async () => {
    const statuses = [];
    for (let i = 0; i < 7; i += 1) statuses.push((await request('svc')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await request('svc');
    expect(refused.json().error).toBe('slow_down');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect((await api.app.inject('/metrics')).body).toMatch(/identity_rate_limited_requests_total\{tenant="acme",limiter="token"\} 3/);
  });

  it('keeps other clients unaffected', async () => {
    expect((await request('someone-else')).statusCode).toBe(401);
  });

  it('is shared through Redis: another replica (its own connection, same prefix) sees the same window', async () => {
    const connection = createRedis(api.config.REDIS_URL, 'other-replica');
    try {
      const otherReplica = new SlidingWindowLimiter(connection, api.config.REDIS_KEY_PREFIX, api.ctx.log, api.ctx.clock);
      expect((await otherReplica.hit('token', 'acme:svc', 5, 60_000)).allowed).toBe(false);
      expect((await otherReplica.hit('token', 'acme:fresh', 5, 60_000)).allowed).toBe(true);
    } finally {
      connection.disconnect();
    }
  });
});
