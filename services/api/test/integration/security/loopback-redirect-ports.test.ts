import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { authorizeUrl } from '../../support/oauth-helpers.js';
import { NATIVE_REDIRECT, startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

/**
 * Review finding 3: loopback redirect ports are validated at registration and at /authorize (no
 * code row is written for a port a socket could never bind), and RFC 8252 §7.3's any-port rule
 * applies to native apps only, never to a browser client.
 */
describe('loopback redirect URIs: ports are real ports, and only native apps may vary them', () => {
  let fx: OAuthFixture;
  let admin: AdminClient;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    admin = adminClient(fx.api.app, await fx.api.adminToken());
    const browser = await admin.put('/tenants/acme/clients/acme-loopback-spa', {
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/spa-callback'],
      allowedCorsOrigins: ['http://127.0.0.1:5173'],
      scopes: ['openid'],
    });
    expect(browser.statusCode).toBe(201);
  });
  afterAll(() => fx.close());

  const codes = async () => Number((await fx.api.ctx.database.pool.query('select count(*) from authorization_codes')).rows[0].count);
  const authorize = (clientId: string, redirectUri: string) =>
    new UserAgent().navigate(authorizeUrl(fx, { client_id: clientId, redirect_uri: redirectUri, scope: 'openid' }), {}, redirectUri);

  it.each(['http://127.0.0.1:99999/cb', 'http://127.0.0.1:65536/cb', 'http://[::1]:0/cb'])('registration refuses %s with a 400 naming the URI', async (uri) => {
    const response = await admin.put('/tenants/acme/clients/bad-port', { type: 'public', grantTypes: ['authorization_code'], redirectUris: [uri] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ invalidParams: [{ name: '/redirectUris/0', reason: 'port must be 1-65535 without leading zeros' }] });
    expect((await admin.get('/tenants/acme/clients/bad-port')).statusCode).toBe(404);
  });

  it.each(['http://127.0.0.1:99999/callback', 'http://127.0.0.1:65536/callback', 'http://127.0.0.1:0/callback'])(
    '/authorize refuses the native client at %s on our error page, writing no code',
    async (redirectUri) => {
      const before = await codes();
      const { response, url } = await authorize('acme-native', redirectUri);
      expect(url).not.toContain(redirectUri);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('invalid_redirect_uri');
      expect(await codes()).toBe(before);
    },
  );

  it('a native app may still use any bindable port on its registered loopback URI', async () => {
    const { url } = await authorize('acme-native', NATIVE_REDIRECT.replace('127.0.0.1', '127.0.0.1:51234'));
    expect(url).toContain('/tenants/acme/login?interaction=');
  });

  it('a browser client (it has CORS origins) gets exact matching only, even on loopback', async () => {
    const varied = await authorize('acme-loopback-spa', 'http://127.0.0.1:51234/spa-callback');
    expect(varied.response.status).toBe(400);
    expect(await varied.response.text()).toContain('invalid_redirect_uri');
    const exact = await authorize('acme-loopback-spa', 'http://127.0.0.1/spa-callback');
    expect(exact.url).toContain('/tenants/acme/login?interaction=');
  });
});
