import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { base64url, SignJWT } from 'jose';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { basicAuth, obtainCode, redeem } from '../../support/oauth-helpers.js';

/** Forged and mis-used JWTs at the resource endpoints (userinfo and the admin API). */
describe('forged access tokens', () => {
  let fx: OAuthFixture;
  let claims: Record<string, unknown>;
  let kid: string;
  let realKey: KeyObject;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    const access = (await redeem(fx, await obtainCode(fx))).body.access_token as string;
    claims = JSON.parse(Buffer.from(access.split('.')[1]!, 'base64url').toString());
    const tenant = (await fx.api.ctx.tenants.find('acme'))!;
    const key = (await fx.api.ctx.keys.signingKey(tenant.id, 'ES256'))!;
    kid = key.kid;
    realKey = key.privateKey;
  });
  afterAll(() => fx.close());

  const userinfo = async (token: string) => {
    const response = await fetch(`${fx.issuer}/oauth2/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    return { status: response.status, challenge: response.headers.get('www-authenticate') };
  };
  const sign = (header: Record<string, unknown>, payload: Record<string, unknown>, key = realKey) =>
    new SignJWT(payload).setProtectedHeader(header as { alg: string }).sign(key);

  it('a correctly signed copy is accepted (control)', async () => {
    expect((await userinfo(await sign({ alg: 'ES256', typ: 'at+jwt', kid }, claims))).status).toBe(200);
  });

  it('alg none: 401 invalid_token', async () => {
    const token = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'at+jwt', kid }))}.${base64url.encode(JSON.stringify(claims))}.`;
    expect(await userinfo(token)).toEqual({ status: 401, challenge: 'Bearer realm="acme", error="invalid_token"' });
  });

  it('HS256 keyed with the published public key: 401 invalid_token', async () => {
    const jwks = (await (await fetch(`${fx.issuer}/jwks`)).json()) as { keys: unknown[] };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid }).sign(new TextEncoder().encode(JSON.stringify(jwks.keys[0])));
    expect((await userinfo(token)).status).toBe(401);
  });

  it('an unknown kid: 401 invalid_token', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect((await userinfo(await sign({ alg: 'ES256', typ: 'at+jwt', kid: 'unknown' }, claims, privateKey))).status).toBe(401);
  });

  it('our kid with a foreign key: 401 invalid_token', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect((await userinfo(await sign({ alg: 'ES256', typ: 'at+jwt', kid }, claims, privateKey))).status).toBe(401);
  });

  it('a wrong iss: 401 invalid_token', async () => {
    expect((await userinfo(await sign({ alg: 'ES256', typ: 'at+jwt', kid }, { ...claims, iss: 'https://evil.example' }))).status).toBe(401);
  });

  it('an expired token: 401 invalid_token', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await userinfo(await sign({ alg: 'ES256', typ: 'at+jwt', kid }, { ...claims, iat: now - 600, exp: now - 60 }))).status).toBe(401);
  });

  it('an ID token used as an access token (typ JWT): 401 invalid_token', async () => {
    expect((await userinfo(await sign({ alg: 'ES256', typ: 'JWT', kid }, claims))).status).toBe(401);
  });

  it('a wrong aud at the admin API, signed with the real system key: 401 invalid_token', async () => {
    const system = (await fx.api.ctx.tenants.find('system'))!;
    const key = (await fx.api.ctx.keys.signingKey(system.id, 'ES256'))!;
    const token = await new SignJWT({ scope: 'lanyard:admin', client_id: 'lanyard-admin', jti: 'x' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(`${fx.api.baseUrl}/tenants/system`)
      .setSubject('lanyard-admin')
      .setAudience('https://some-other-api.example')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key.privateKey);
    const response = await fetch(`${fx.api.baseUrl}/admin/v1/tenants/acme`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('a client_credentials token at userinfo (no user, no openid): 403 insufficient_scope', async () => {
    const secret = 'service-secret-forged-test-0123456789abcd';
    await fx.admin.post('/tenants/acme/clients/acme-service/secrets', { secret });
    const token = await fetch(`${fx.issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...basicAuth('acme-service', secret) },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    const response = await userinfo(((await token.json()) as { access_token: string }).access_token);
    expect(response.status).toBe(403);
    expect(response.challenge).toContain('error="insufficient_scope"');
  });

  it('no token at all: 401 with a bare challenge', async () => {
    const response = await fetch(`${fx.issuer}/oauth2/userinfo`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="acme"');
  });
});
