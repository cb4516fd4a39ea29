import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { UserAgent } from '../support/user-agent.js';
import { APP_ORIGIN, discover, NATIVE_REDIRECT, SPA_REDIRECT, signInThroughPages, startAuthorization, startOAuthFixture, type OAuthFixture } from '../support/oauth-fixture.js';

const WEB_REDIRECT = 'https://web.acme.example/callback';

/**
 * The whole journey as a relying party sees it, driven by openid-client v6 — whose own checks of
 * `iss` (RFC 9207 and ID token), `aud`, `nonce`, `state`, `at_hash` and signatures must all pass.
 */
describe('OpenID Connect with a real relying-party library (openid-client v6)', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture();
  });
  afterAll(() => fx.close());

  it('discovers the tenant issuer with the metadata a client needs', async () => {
    const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
    const metadata = config.serverMetadata();
    expect(metadata.issuer).toBe(fx.issuer);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    expect(metadata.response_types_supported).toEqual(['code']);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
    expect(metadata.grant_types_supported).not.toContain('implicit');
  });

  it('signs in with code + PKCE through the hosted login form, then uses every endpoint', async () => {
    const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
    const start = await startAuthorization(config, WEB_REDIRECT, 'openid profile email offline_access', { prompt: 'consent' });
    const agent = new UserAgent();
    const callback = await signInThroughPages(agent, start.url, WEB_REDIRECT, fx.email);
    expect(callback.searchParams.get('iss')).toBe(fx.issuer);
    expect(callback.searchParams.get('state')).toBe(start.state);

    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({ iss: fx.issuer, aud: 'acme-web', sub: fx.userId, nonce: start.nonce, acr: 'urn:lanyard:acr:pwd', amr: ['pwd'] });
    // An access token came with it, so the scope claims come from userinfo (OIDC Core §5.4).
    expect(claims).not.toHaveProperty('email');
    expect(claims).not.toHaveProperty('name');
    expect(typeof claims.auth_time).toBe('number');
    expect(tokens.token_type).toBe('bearer');
    expect(tokens.scope).toBe('openid profile email offline_access');
    expect(tokens.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, fx.userId);
    expect(userinfo).toEqual({ sub: fx.userId, email: fx.email, email_verified: true, name: 'Alice', updated_at: expect.any(Number) });

    const introspected = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspected).toMatchObject({ active: true, sub: fx.userId, client_id: 'acme-web', iss: fx.issuer, token_type: 'Bearer' });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect(refreshed.claims()?.sub).toBe(fx.userId);
    expect((await oidc.tokenIntrospection(config, refreshed.refresh_token!)).active).toBe(true);

    await oidc.tokenRevocation(config, refreshed.refresh_token!);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await oidc.tokenRevocation(config, refreshed.access_token);
    expect((await oidc.tokenIntrospection(config, refreshed.access_token)).active).toBe(false);
  });

  it('logs out through RP-initiated logout, returning with state and revoking the session’s refresh tokens', async () => {
    const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
    const agent = new UserAgent();
    const start = await startAuthorization(config, WEB_REDIRECT, 'openid email');
    const tokens = await oidc.authorizationCodeGrant(config, await signInThroughPages(agent, start.url, WEB_REDIRECT, fx.email), { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
    const logoutState = oidc.randomState();
    const logout = oidc.buildEndSessionUrl(config, { id_token_hint: tokens.id_token!, post_logout_redirect_uri: 'https://web.acme.example/', state: logoutState });
    const result = await agent.navigate(logout.toString(), {}, 'https://web.acme.example/');
    expect(result.url).toBe(`https://web.acme.example/?state=${logoutState}`);
    expect(agent.cookie('__Secure-lanyard_session')).toBeUndefined();
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    // the next authorization needs a password again
    const again = await startAuthorization(config, WEB_REDIRECT);
    const page = await agent.navigate(again.url.toString(), {}, WEB_REDIRECT);
    expect(page.url).toContain('/tenants/acme/login?interaction=');
  });

  it('issues client_credentials tokens to a confidential service', async () => {
    const secret = 'service-secret-0123456789abcdefghijklmnop';
    const registered = await fx.admin.post('/tenants/acme/clients/acme-service/secrets', { secret });
    expect(registered.statusCode).toBe(201);
    const config = await discover(fx.issuer, 'acme-service', secret);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'orders:read' });
    expect(tokens.scope).toBe('orders:read');
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('asks a third-party native app for consent once, then signs in silently through SSO', async () => {
    const config = await discover(fx.issuer, 'acme-native');
    const agent = new UserAgent();
    // Registered as NATIVE_REDIRECT without a port; RFC 8252 §7.3 lets a loopback redirect use any port.
    const redirect = NATIVE_REDIRECT.replace('127.0.0.1', '127.0.0.1:53682');
    const first = await startAuthorization(config, redirect);
    let step = await agent.navigate(first.url.toString(), {}, redirect);
    step = await agent.submitForm(step.url, await step.response.text(), { email: fx.email, password: 'correct horse battery staple' }, redirect);
    expect(step.url).toContain('/tenants/acme/consent?interaction=');
    const consentHtml = await step.response.text();
    expect(consentHtml).toContain('Acme Desktop wants access');
    expect(consentHtml).toContain('See your email address');
    step = await agent.submitForm(step.url, consentHtml, {}, redirect, { name: 'decision', value: 'approve' });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(step.url), { pkceCodeVerifier: first.verifier, expectedState: first.state, expectedNonce: first.nonce });
    expect(tokens.refresh_token).toBeDefined(); // native app: refresh token in the body

    const second = await startAuthorization(config, redirect);
    const silent = await agent.navigate(second.url.toString(), {}, redirect);
    expect(silent.url.startsWith(redirect)).toBe(true);
    const again = await oidc.authorizationCodeGrant(config, new URL(silent.url), { pkceCodeVerifier: second.verifier, expectedState: second.state, expectedNonce: second.nonce });
    expect(again.claims()!.auth_time).toBe(tokens.claims()!.auth_time);
  });

  it('gives a browser SPA its refresh token only as an HttpOnly cookie, refreshed with Origin + CSRF header', async () => {
    const config = await discover(fx.issuer, 'acme-spa');
    const agent = new UserAgent();
    const start = await startAuthorization(config, SPA_REDIRECT, 'openid email');
    const callback = await signInThroughPages(agent, start.url, SPA_REDIRECT, fx.email);
    const tokenUrl = `${fx.issuer}/oauth2/token`;
    // The SPA's fetch: the browser adds Origin and stores the cookie.
    const exchange = await agent.request(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: APP_ORIGIN },
      body: new URLSearchParams({ grant_type: 'authorization_code', client_id: 'acme-spa', code: callback.searchParams.get('code')!, redirect_uri: SPA_REDIRECT, code_verifier: start.verifier }),
    });
    expect(exchange.status).toBe(200);
    expect(exchange.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(exchange.headers.get('access-control-allow-credentials')).toBe('true');
    const body = (await exchange.json()) as Record<string, unknown>;
    expect(body).not.toHaveProperty('refresh_token');
    const setCookie = exchange.headers.getSetCookie().find((c) => c.startsWith('__Secure-lanyard_rt.acme-spa='))!;
    expect(setCookie).toMatch(/; Path=\/tenants\/acme\/oauth2/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; Secure/);
    expect(setCookie).toMatch(/; SameSite=None/);
    const firstCookie = agent.cookie('__Secure-lanyard_rt.acme-spa');

    const refresh = await agent.request(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: APP_ORIGIN, 'x-csrf-token': '1' },
      body: new URLSearchParams({ grant_type: 'refresh_token', client_id: 'acme-spa' }),
    });
    expect(refresh.status).toBe(200);
    expect((await refresh.json()) as Record<string, unknown>).not.toHaveProperty('refresh_token');
    expect(agent.cookie('__Secure-lanyard_rt.acme-spa')).not.toBe(firstCookie);

    const preflight = await fetch(tokenUrl, { method: 'OPTIONS', headers: { origin: APP_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-csrf-token' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-csrf-token');
    const foreign = await fetch(tokenUrl, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });
});
