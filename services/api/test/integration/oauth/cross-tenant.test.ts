import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { authorizeUrl, basicAuth, obtainCode, redeem, tokenRequest } from '../../support/oauth-helpers.js';

/**
 * Tenant isolation: `globex` has a client with the same id (`acme-spa`) as `acme`, so every artefact
 * of `acme` is tried where only its tenant could make it invalid.
 */
describe('a tenant’s codes, tokens, sessions and clients are useless at every other tenant', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture();
  });
  afterAll(() => fx.close());

  it('an acme code redeemed at globex by the same-named client: invalid_grant', async () => {
    const issued = await obtainCode(fx, { clientId: 'acme-spa' });
    const result = await redeem(fx, issued, {}, 'globex');
    expect(result.status).toBe(400);
    expect(result.body.error).toBe('invalid_grant');
    expect((await redeem(fx, issued)).status).toBe(200);
  });

  it('an acme refresh token at globex: invalid_grant', async () => {
    const token = (await redeem(fx, await obtainCode(fx, { clientId: 'acme-spa' }))).body.refresh_token as string;
    const result = await tokenRequest(fx, { grant_type: 'refresh_token', client_id: 'acme-spa', refresh_token: token }, { tenant: 'globex' });
    expect(result.body.error).toBe('invalid_grant');
  });

  it('an acme access token at globex userinfo: 401 invalid_token', async () => {
    const access = (await redeem(fx, await obtainCode(fx))).body.access_token as string;
    const response = await fetch(`${fx.api.baseUrl}/tenants/globex/oauth2/userinfo`, { headers: { authorization: `Bearer ${access}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await fetch(`${fx.issuer}/oauth2/userinfo`, { headers: { authorization: `Bearer ${access}` } })).status).toBe(200);
  });

  it('an acme access token introspected at globex: inactive', async () => {
    const access = (await redeem(fx, await obtainCode(fx))).body.access_token as string;
    const globexSecret = (await fx.admin.put('/tenants/globex/clients/rs', { type: 'confidential', grantTypes: ['client_credentials'] })).json().clientSecret as string;
    const response = await fetch(`${fx.api.baseUrl}/tenants/globex/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basicAuth('rs', globexSecret) },
      body: new URLSearchParams({ token: access }),
    });
    expect(await response.json()).toEqual({ active: false });
  });

  it('acme client credentials at globex: invalid_client', async () => {
    const result = await tokenRequest(fx, { grant_type: 'client_credentials' }, { tenant: 'globex', headers: basicAuth('acme-web', fx.webSecret) });
    expect(result.status).toBe(401);
    expect(result.body.error).toBe('invalid_client');
  });

  it('an acme session does not sign anyone in at globex (prompt=none → login_required)', async () => {
    const { agent } = await obtainCode(fx, { clientId: 'acme-spa' });
    const session = agent.cookie('__Secure-lanyard_session')!;
    // Even presented deliberately at globex's path, the session is not globex's.
    agent.setCookie('__Secure-lanyard_session', session, '/tenants/globex');
    const response = await agent.request(authorizeUrl(fx, { client_id: 'acme-spa', redirect_uri: 'https://app.acme.example/callback', prompt: 'none' }, 'globex'));
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('login_required');
  });

  it('an acme ID token as id_token_hint at globex logout: error page, no redirect', async () => {
    const idToken = (await redeem(fx, await obtainCode(fx))).body.id_token as string;
    const response = await fetch(`${fx.api.baseUrl}/tenants/globex/oauth2/logout?id_token_hint=${idToken}`, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('acme signing keys are not in the globex JWKS', async () => {
    const acme = (await (await fetch(`${fx.issuer}/jwks`)).json()) as { keys: Array<{ kid: string }> };
    const globex = (await (await fetch(`${fx.api.baseUrl}/tenants/globex/jwks`)).json()) as { keys: Array<{ kid: string }> };
    expect(acme.keys.map((k) => k.kid)).not.toEqual(expect.arrayContaining(globex.keys.map((k) => k.kid)));
  });
});
