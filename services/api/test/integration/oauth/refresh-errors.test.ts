import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { basicAuth, obtainCode, redeem, tokenRequest } from '../../support/oauth-helpers.js';
import { UserAgent } from '../../support/user-agent.js';

/** refresh_token grant errors (RFC 6749 §6, RFC 9700 §4.14) and the cookie variant's CSRF rules. */
describe('refresh token errors', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture();
  });
  afterAll(() => fx.close());

  const refresh = (token: string, extra: Record<string, string> = {}) =>
    tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: token, ...extra }, { headers: basicAuth('acme-web', fx.webSecret) });
  const freshRefreshToken = async () => (await redeem(fx, await obtainCode(fx))).body.refresh_token as string;
  const familyRevoked = async (token: string) =>
    (await fx.api.database.query<{ revoked_at: Date | null; revoked_reason: string | null }>(
      `select f.revoked_at, f.revoked_reason from refresh_token_families f join refresh_tokens t on t.family_id = f.id where t.token_hash = sha256($1::text::bytea)`,
      [token],
    )).rows[0]!;

  it('replay outside the grace window: invalid_grant, and the whole family (successor included) is revoked', async () => {
    const original = await freshRefreshToken();
    const successor = (await refresh(original)).body.refresh_token as string;
    await fx.api.database.query(`update refresh_tokens set used_at = now() - interval '1 minute' where token_hash = sha256($1::text::bytea)`, [original]);
    const replay = await refresh(original);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await familyRevoked(original)).revoked_reason).toBe('reuse_detected');
    expect((await refresh(successor)).body.error).toBe('invalid_grant');
    await fx.api.ctx.audit.flush();
    expect((await fx.api.database.query(`select 1 from audit_events where event = 'refresh' and reason = 'token_reuse'`)).rowCount).toBeGreaterThan(0);
  });

  it('replay inside the grace window: the same successor comes back and the family lives on', async () => {
    const original = await freshRefreshToken();
    const first = await refresh(original);
    const second = await refresh(original);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).toBe(first.body.refresh_token);
    expect((await familyRevoked(original)).revoked_at).toBeNull();
    expect((await refresh(first.body.refresh_token as string)).status).toBe(200);
  });

  it('a refresh token of another client: invalid_grant, and it still works for its owner', async () => {
    const spa = await obtainCode(fx, { clientId: 'acme-spa' });
    const token = (await redeem(fx, spa)).body.refresh_token as string; // no Origin: native-style body delivery
    const stolen = await refresh(token);
    expect(stolen.body.error).toBe('invalid_grant');
    expect((await tokenRequest(fx, { grant_type: 'refresh_token', client_id: 'acme-spa', refresh_token: token })).status).toBe(200);
  });

  it('a wider scope than granted: invalid_scope, and the token is not consumed', async () => {
    const token = (await redeem(fx, await obtainCode(fx, { scope: 'openid email' }))).body.refresh_token as string;
    const wider = await refresh(token, { scope: 'openid email orders:read' });
    expect(wider.status).toBe(400);
    expect(wider.body.error).toBe('invalid_scope');
    const narrower = await refresh(token, { scope: 'openid' });
    expect(narrower.status).toBe(200);
    expect(narrower.body.scope).toBe('openid');
  });

  it('after logout: invalid_grant, and the session’s access token is refused', async () => {
    const issued = await obtainCode(fx);
    const tokens = await redeem(fx, issued);
    const logout = await issued.agent.navigate(`${fx.issuer}/oauth2/logout?id_token_hint=${tokens.body.id_token as string}`);
    expect(logout.response.status).toBe(200);
    expect((await refresh(tokens.body.refresh_token as string)).body.error).toBe('invalid_grant');
    // The access token issued in the session ended with it (its `sid` is deny-listed).
    const userinfo = await fx.api.app.inject({ url: '/tenants/acme/oauth2/userinfo', headers: { authorization: `Bearer ${tokens.body.access_token as string}` } });
    expect(userinfo.statusCode).toBe(401);
  });

  it('after the user’s password changes: invalid_grant', async () => {
    const token = await freshRefreshToken();
    await fx.admin.patch(`/tenants/acme/users/${fx.userId}`, { password: 'correct horse battery staple' });
    expect((await refresh(token)).body.error).toBe('invalid_grant');
  });

  it('an unknown refresh token: invalid_grant', async () => {
    expect((await refresh('A'.repeat(43))).body.error).toBe('invalid_grant');
  });

  it('a client not registered for refresh_token: unauthorized_client', async () => {
    const secret = 'service-secret-abcdefghijklmnop0123456789';
    await fx.admin.post('/tenants/acme/clients/acme-service/secrets', { secret });
    const result = await tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: 'A'.repeat(43) }, { headers: basicAuth('acme-service', secret) });
    expect(result.body.error).toBe('unauthorized_client');
  });

  describe('cookie-delivered refresh tokens (browser clients)', () => {
    async function spaSignedIn() {
      const agent = new UserAgent();
      const issued = await obtainCode(fx, { clientId: 'acme-spa', agent });
      const exchange = await tokenRequest(
        fx,
        { grant_type: 'authorization_code', client_id: 'acme-spa', code: issued.code, redirect_uri: issued.redirectUri, code_verifier: issued.verifier },
        { agent, headers: { origin: APP_ORIGIN } },
      );
      expect(exchange.status).toBe(200);
      return { agent, cookie: agent.cookie('__Secure-lanyard_rt.acme-spa')! };
    }
    const cookieRefresh = (agent: UserAgent, headers: Record<string, string>) => tokenRequest(fx, { grant_type: 'refresh_token', client_id: 'acme-spa' }, { agent, headers });

    it('without the CSRF header: invalid_request, cookie not consumed', async () => {
      const { agent, cookie } = await spaSignedIn();
      const result = await cookieRefresh(agent, { origin: APP_ORIGIN });
      expect(result.status).toBe(400);
      expect(result.body.error).toBe('invalid_request');
      expect(agent.cookie('__Secure-lanyard_rt.acme-spa')).toBe(cookie);
      expect((await cookieRefresh(agent, { origin: APP_ORIGIN, 'x-csrf-token': '1' })).status).toBe(200);
    });

    it('from a foreign Origin: invalid_request', async () => {
      const { agent } = await spaSignedIn();
      const result = await cookieRefresh(agent, { origin: 'https://evil.example', 'x-csrf-token': '1' });
      expect(result.status).toBe(400);
      expect(result.body.error).toBe('invalid_request');
    });

    it('without any Origin: invalid_request', async () => {
      const { agent } = await spaSignedIn();
      expect((await cookieRefresh(agent, { 'x-csrf-token': '1' })).body.error).toBe('invalid_request');
    });

    it('a cookie token replayed through the body: invalid_grant (delivery is bound to the family)', async () => {
      const { cookie } = await spaSignedIn();
      const result = await tokenRequest(fx, { grant_type: 'refresh_token', client_id: 'acme-spa', refresh_token: cookie }, { headers: { origin: APP_ORIGIN } });
      expect(result.body.error).toBe('invalid_grant');
    });
  });
});
