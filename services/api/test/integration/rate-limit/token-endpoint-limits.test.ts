import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { startTestApi, type TestApi } from '../../support/test-api.js';

/**
 * Token endpoint limits that attackers cannot turn against clients (docs/reference/rate-limits.md):
 * a client's budget is charged only after it authenticated; failed authentications are counted per
 * (tenant, client, network) and per network, so strangers elsewhere can only lock themselves out.
 */
describe('token endpoint rate limits', () => {
  const budget = 5;
  const failures = 10;
  let api: TestApi;
  let admin: AdminClient;
  beforeAll(async () => {
    api = await startTestApi({
      env: { RATE_LIMIT_TOKEN_PER_MINUTE: String(budget), RATE_LIMIT_CLIENT_AUTH_FAILURES_PER_MINUTE: String(failures), RATE_LIMIT_NETWORK_AUTH_FAILURES_PER_MINUTE: '40' },
    });
    admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
  });
  afterAll(() => api.close());

  /** A confidential client_credentials client of its own, so no test shares a budget. */
  const registerClient = async (clientId: string): Promise<string> =>
    (await admin.put(`/tenants/acme/clients/${clientId}`, { type: 'confidential', grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'client_secret_post' })).json().clientSecret;

  const request = (clientId: string, clientSecret: string, remoteAddress = '203.0.113.10', extra: Record<string, string> = {}) =>
    api.app.inject({
      method: 'POST',
      url: '/tenants/acme/oauth2/token',
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, ...extra }).toString(),
    });
  const metrics = async () => (await api.metricsApp.inject('/metrics')).body;

  it('spends an authenticated client’s budget, then answers 429 with Retry-After and the RateLimit fields', async () => {
    const secret = await registerClient('svc-budget');
    const statuses = [];
    for (let i = 0; i < budget + 2; i += 1) statuses.push((await request('svc-budget', secret)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const refused = await request('svc-budget', secret);
    expect(refused.json()).toMatchObject({ error: 'slow_down' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers['ratelimit-policy']).toBe(`"token";q=${budget};w=60`);
    expect(refused.headers['ratelimit']).toMatch(/^"token";r=0;t=\d+$/);
    expect(await metrics()).toMatch(/identity_rate_limited_requests_total\{tenant="acme",limiter="token"\} 3/);
  });

  it('1,000 unauthenticated requests naming a victim’s client_id from one address leave the victim, elsewhere, unaffected', async () => {
    const secret = await registerClient('victim');
    const attack: number[] = [];
    const victim: number[] = [];
    for (let i = 0; i < 1_000; i += 1) {
      attack.push((await request('victim', 'guessed-secret-0123456789abcdefghijklmnop', '198.51.100.66')).statusCode);
      if (i % 400 === 0) victim.push((await request('victim', secret, '203.0.113.20')).statusCode);
    }
    expect(attack.filter((s) => s === 401)).toHaveLength(failures); // then the attacker's network is locked out of it
    expect(attack.filter((s) => s === 429)).toHaveLength(1_000 - failures);
    expect(victim).toEqual([200, 200, 200]);
    // The victim's own budget was never touched by the attack: it has exactly its remaining two.
    expect([(await request('victim', secret, '203.0.113.20')).statusCode, (await request('victim', secret, '203.0.113.20')).statusCode]).toEqual([200, 200]);
    expect((await request('victim', secret, '203.0.113.20')).statusCode).toBe(429);
  });

  it('a network locked out of a client is refused even with the right secret; neighbours share the lockout, other networks do not', async () => {
    const secret = await registerClient('guessed');
    for (let i = 0; i < failures; i += 1) expect((await request('guessed', 'wrong-secret-0123456789abcdefghijklmnopqr', '198.18.0.7')).statusCode).toBe(401);
    const right = await request('guessed', secret, '198.18.0.7');
    expect(right.statusCode).toBe(429);
    expect(right.headers['ratelimit-policy']).toBe(`"client-auth-failures";q=${failures};w=60`);
    expect((await request('guessed', secret, '198.18.0.200')).statusCode).toBe(429); // same /24
    expect((await request('guessed', secret, '198.18.1.7')).statusCode).toBe(200);
  });

  it('failures against many clients from one network lock that network out altogether', async () => {
    for (let i = 0; i < 40; i += 1) await request(`nobody-${i}`, 'x'.repeat(40), '192.0.2.9');
    const secret = await registerClient('bystander');
    const refused = await request('bystander', secret, '192.0.2.77');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['ratelimit-policy']).toBe('"network-auth-failures";q=40;w=60');
    expect((await request('bystander', secret, '203.0.113.30')).statusCode).toBe(200);
  });

  it('a public client’s budget is per network: strangers cannot spend a whole single-page app’s', async () => {
    await admin.put('/tenants/acme/clients/spa', { type: 'public', grantTypes: ['authorization_code', 'refresh_token'], redirectUris: ['https://app.example/cb'] });
    const refresh = (remoteAddress: string) =>
      api.app.inject({
        method: 'POST',
        url: '/tenants/acme/oauth2/token',
        remoteAddress,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: 'not-a-real-token' }).toString(),
      });
    const stranger = [];
    for (let i = 0; i < budget + 1; i += 1) stranger.push((await refresh('198.19.0.99')).statusCode);
    expect(stranger).toEqual([400, 400, 400, 400, 400, 429]);
    expect((await refresh('203.0.113.40')).statusCode).toBe(400); // invalid_grant, not rate-limited
  });

  it('a tenant can set its own budget through the admin API', async () => {
    const updated = await admin.put('/tenants/acme', { displayName: 'Acme', rateLimits: { tokenPerMinute: 2 } });
    expect(updated.json()).toMatchObject({ rateLimits: { tokenPerMinute: 2 } });
    try {
      const secret = await registerClient('tight');
      const statuses = [];
      for (let i = 0; i < 3; i += 1) statuses.push((await request('tight', secret)).statusCode);
      expect(statuses).toEqual([200, 200, 429]);
    } finally {
      await admin.put('/tenants/acme', { displayName: 'Acme' });
    }
  });
});
