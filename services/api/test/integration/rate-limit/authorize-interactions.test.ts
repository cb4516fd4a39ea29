import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient } from '../../support/admin-client.js';
import { authorizeUrl } from '../../support/oauth-helpers.js';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

/**
 * Unauthenticated state is bounded: each /authorize that needs a sign-in stores an interaction in
 * Redis until it expires, so interactions are limited per IP network and in size.
 */
describe('sign-in interactions opened by /authorize', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture({ TRUST_PROXY_HOPS: '1', RATE_LIMIT_INTERACTIONS_PER_MINUTE: '3', INTERACTION_TTL_SECONDS: '600' });
  });
  afterAll(() => fx.close());

  const interactionKeys = async () => (await fx.api.ctx.redis.keys(`${fx.api.config.REDIS_KEY_PREFIX}interaction:*`)).length;

  it('are limited per network: the fourth from one network is a 429 page and stores nothing; other networks go on', async () => {
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await new UserAgent({ 'x-forwarded-for': '198.51.100.8' }).request(authorizeUrl(fx, {}))).status);
    expect(statuses).toEqual([303, 303, 303]);
    const before = await interactionKeys();
    const refused = await new UserAgent({ 'x-forwarded-for': '198.51.100.9' }).request(authorizeUrl(fx, {}));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^text\/html/);
    expect(refused.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get('ratelimit-policy')).toBe('"interactions";q=3;w=60');
    expect(await interactionKeys()).toBe(before);
    expect((await new UserAgent({ 'x-forwarded-for': '203.0.113.8' }).request(authorizeUrl(fx, {}))).status).toBe(303);
  });

  it('expire after INTERACTION_TTL_SECONDS', async () => {
    await new UserAgent({ 'x-forwarded-for': '192.0.2.8' }).request(authorizeUrl(fx, {}));
    const keys = await fx.api.ctx.redis.keys(`${fx.api.config.REDIS_KEY_PREFIX}interaction:*`);
    for (const key of keys) expect(await fx.api.ctx.redis.ttl(key)).toBeLessThanOrEqual(600);
  });

  it('are bounded in size: a request that would store more than 8 KiB is refused and stores nothing', async () => {
    const admin = adminClient(fx.api.app, await fx.api.adminToken());
    const scopes = Array.from({ length: 40 }, (_, i) => `s${i}:${'x'.repeat(190)}`);
    await admin.put('/tenants/acme/clients/wide', { type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://wide.example/cb'], scopes });
    const before = await interactionKeys();
    const response = await new UserAgent({ 'x-forwarded-for': '198.18.9.9' }).request(
      authorizeUrl(fx, { client_id: 'wide', redirect_uri: 'https://wide.example/cb', scope: scopes.join(' '), state: 's'.repeat(2_000) }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('The authorization request is too large.');
    expect(await interactionKeys()).toBe(before);
  });
});
