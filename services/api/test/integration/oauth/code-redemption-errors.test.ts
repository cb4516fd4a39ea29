import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { basicAuth, obtainCode, pkcePair, redeem, tokenRequest } from '../../support/oauth-helpers.js';

/** Token endpoint: authorization_code grant errors (RFC 6749 §4.1.3, §5.2; RFC 7636 §4.6). */
describe('authorization code redemption errors', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture();
  });
  afterAll(() => fx.close());

  const expectError = (result: { status: number; body: Record<string, unknown>; response: Response }, status: number, error: string) => {
    expect(result.status).toBe(status);
    expect(result.body.error).toBe(error);
    expect(result.response.headers.get('cache-control')).toBe('no-store');
  };

  it('wrong code_verifier: invalid_grant, and the code is not burnt', async () => {
    const issued = await obtainCode(fx);
    expectError(await redeem(fx, issued, { code_verifier: pkcePair().verifier }), 400, 'invalid_grant');
    expect((await redeem(fx, issued)).status).toBe(200);
  });

  it('missing code_verifier: invalid_request', async () => {
    const issued = await obtainCode(fx);
    const form = { grant_type: 'authorization_code', code: issued.code, redirect_uri: issued.redirectUri };
    expectError(await tokenRequest(fx, form, { headers: basicAuth('acme-web', fx.webSecret) }), 400, 'invalid_request');
    expect((await redeem(fx, issued)).status).toBe(200);
  });

  it('malformed code_verifier (too short): invalid_request', async () => {
    const issued = await obtainCode(fx);
    expectError(await redeem(fx, issued, { code_verifier: 'abc' }), 400, 'invalid_request');
  });

  it('verifier without a challenge: no code is ever issued without one', async () => {
    const authorize = await fetch(
      `${fx.issuer}/oauth2/authorize?response_type=code&client_id=acme-web&redirect_uri=${encodeURIComponent('https://web.acme.example/callback')}&scope=openid`,
      { redirect: 'manual' },
    );
    const location = new URL(authorize.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('plain PKCE (verifier equal to the challenge): refused before any code exists', async () => {
    const { verifier } = pkcePair();
    const authorize = await fetch(
      `${fx.issuer}/oauth2/authorize?response_type=code&client_id=acme-web&redirect_uri=${encodeURIComponent('https://web.acme.example/callback')}&code_challenge=${verifier}&code_challenge_method=plain`,
      { redirect: 'manual' },
    );
    expect(new URL(authorize.headers.get('location')!).searchParams.get('error')).toBe('invalid_request');
  });

  it('code reuse: invalid_grant, and what the first redemption issued is revoked', async () => {
    const issued = await obtainCode(fx);
    const first = await redeem(fx, issued);
    expect(first.status).toBe(200);
    expectError(await redeem(fx, issued), 400, 'invalid_grant');
    const refresh = await tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string }, { headers: basicAuth('acme-web', fx.webSecret) });
    expectError(refresh, 400, 'invalid_grant');
    const introspection = await fetch(`${fx.issuer}/oauth2/introspect`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basicAuth('acme-web', fx.webSecret) },
      body: new URLSearchParams({ token: first.body.access_token as string }),
    });
    expect(await introspection.json()).toEqual({ active: false });
    await fx.api.ctx.audit.flush();
    const audit = await fx.api.database.query(`select 1 from audit_events where reason = 'code_replay'`);
    expect(audit.rowCount).toBe(1);
  });

  it('expired code: invalid_grant', async () => {
    const issued = await obtainCode(fx);
    await fx.api.database.query(`update authorization_codes set expires_at = now() - interval '1 second' where consumed_at is null`);
    expectError(await redeem(fx, issued), 400, 'invalid_grant');
  });

  it('code issued to another client: invalid_grant, and still good for its own client', async () => {
    const issued = await obtainCode(fx, { clientId: 'acme-spa' });
    const stolen = await tokenRequest(fx, { grant_type: 'authorization_code', code: issued.code, redirect_uri: issued.redirectUri, code_verifier: issued.verifier }, { headers: basicAuth('acme-web', fx.webSecret) });
    expectError(stolen, 400, 'invalid_grant');
    expect((await redeem(fx, issued)).status).toBe(200);
  });

  it('redirect_uri different from the authorization request: invalid_grant', async () => {
    const issued = await obtainCode(fx);
    expectError(await redeem(fx, issued, { redirect_uri: 'https://web.acme.example/callback/' }), 400, 'invalid_grant');
  });

  it('missing redirect_uri: invalid_request', async () => {
    const issued = await obtainCode(fx);
    const form = { grant_type: 'authorization_code', code: issued.code, code_verifier: issued.verifier };
    expectError(await tokenRequest(fx, form, { headers: basicAuth('acme-web', fx.webSecret) }), 400, 'invalid_request');
  });

  it('an unknown code: invalid_grant', async () => {
    expectError(await redeem(fx, { code: 'x'.repeat(43), verifier: pkcePair().verifier, redirectUri: 'https://web.acme.example/callback', clientId: 'acme-web', agent: undefined as never }), 400, 'invalid_grant');
  });

  it('unsupported grant type (password): unsupported_grant_type', async () => {
    expectError(await tokenRequest(fx, { grant_type: 'password', username: fx.email, password: 'x' }, { headers: basicAuth('acme-web', fx.webSecret) }), 400, 'unsupported_grant_type');
  });

  it('duplicated parameters: invalid_request', async () => {
    const issued = await obtainCode(fx);
    const body = `grant_type=authorization_code&code=${issued.code}&code=${issued.code}&redirect_uri=${encodeURIComponent(issued.redirectUri)}&code_verifier=${issued.verifier}`;
    const response = await fetch(`${fx.issuer}/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...basicAuth('acme-web', fx.webSecret) }, body });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
    expect((await redeem(fx, issued)).status).toBe(200);
  });

  it('bad client secret: invalid_client (401) with a Basic challenge, code not burnt', async () => {
    const issued = await obtainCode(fx);
    const result = await tokenRequest(fx, { grant_type: 'authorization_code', code: issued.code, redirect_uri: issued.redirectUri, code_verifier: issued.verifier }, { headers: basicAuth('acme-web', 'not-the-secret') });
    expectError(result, 401, 'invalid_client');
    expect(result.response.headers.get('www-authenticate')).toBe('Basic realm="acme"');
    expect((await redeem(fx, issued)).status).toBe(200);
  });

  it('a public client sending a client_secret: invalid_client', async () => {
    const issued = await obtainCode(fx, { clientId: 'acme-spa' });
    const result = await tokenRequest(fx, { grant_type: 'authorization_code', client_id: 'acme-spa', client_secret: 'guess-0123456789', code: issued.code, redirect_uri: issued.redirectUri, code_verifier: issued.verifier });
    expectError(result, 401, 'invalid_client');
  });
});
