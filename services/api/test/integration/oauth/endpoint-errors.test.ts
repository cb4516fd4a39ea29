import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { basicAuth, obtainCode, redeem, tokenRequest } from '../../support/oauth-helpers.js';

/** Revocation (RFC 7009), introspection (RFC 7662) and logout errors. */
describe('revocation, introspection and logout errors', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture();
  });
  afterAll(() => fx.close());

  const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(`${fx.issuer}/oauth2/${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form), redirect: 'manual' });

  it('revoking another client’s token: unauthorized_client, and the token keeps working', async () => {
    const token = (await redeem(fx, await obtainCode(fx))).body.refresh_token as string;
    const response = await post('revoke', { token, client_id: 'acme-native' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('unauthorized_client');
    expect((await tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: token }, { headers: basicAuth('acme-web', fx.webSecret) })).status).toBe(200);
  });

  it('revoking an unknown token: 200 (RFC 7009 §2.2)', async () => {
    expect((await post('revoke', { token: 'garbage' }, basicAuth('acme-web', fx.webSecret))).status).toBe(200);
  });

  it('revoking without client authentication: invalid_client', async () => {
    const response = await post('revoke', { token: 'x' });
    expect(response.status).toBe(401);
  });

  it('introspection by a public client: invalid_client', async () => {
    const response = await post('introspect', { token: 'x', client_id: 'acme-spa' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_client');
  });

  it('introspecting another client’s refresh token: inactive', async () => {
    const token = (await redeem(fx, await obtainCode(fx, { clientId: 'acme-spa' }))).body.refresh_token as string;
    const response = await post('introspect', { token, token_type_hint: 'refresh_token' }, basicAuth('acme-web', fx.webSecret));
    expect(await response.json()).toEqual({ active: false });
  });

  it('logout to an unregistered post_logout_redirect_uri: error page, no redirect, session intact', async () => {
    const issued = await obtainCode(fx);
    const tokens = await redeem(fx, issued);
    const url = `${fx.issuer}/oauth2/logout?id_token_hint=${tokens.body.id_token as string}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`;
    const response = await issued.agent.request(url);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(issued.agent.cookie('__Secure-lanyard_session')).toBeDefined();
    expect((await tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: tokens.body.refresh_token as string }, { headers: basicAuth('acme-web', fx.webSecret) })).status).toBe(200);
  });

  it('logout without id_token_hint asks for confirmation and does nothing until confirmed with its CSRF token', async () => {
    const issued = await obtainCode(fx);
    const page = await issued.agent.request(`${fx.issuer}/oauth2/logout`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Sign out?');
    const forged = await issued.agent.request(`${fx.issuer}/oauth2/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'confirm=yes&csrf_token=forged' });
    expect(await forged.text()).toContain('Sign out?');
    expect(issued.agent.cookie('__Secure-lanyard_session')).toBeDefined();
    const confirmed = await issued.agent.submitForm(`${fx.issuer}/oauth2/logout`, html, {}, undefined, { name: 'confirm', value: 'yes' });
    expect(await confirmed.response.text()).toContain('You are signed out');
    expect(issued.agent.cookie('__Secure-lanyard_session')).toBeUndefined();
  });
});
