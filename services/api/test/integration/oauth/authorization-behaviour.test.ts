import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, PASSWORD, type OAuthFixture } from '../../support/oauth-fixture.js';
import { authorizeUrl, basicAuth, obtainCode, redeem, tokenRequest } from '../../support/oauth-helpers.js';
import { UserAgent } from '../../support/user-agent.js';

/** What users and clients see when things go right: prompts, consent, lifetimes, login policy. */
describe('authorization behaviour', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture();
  });
  afterAll(() => fx.close());

  const idClaims = (idToken: string) => JSON.parse(Buffer.from(idToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

  it('prompt=login makes a signed-in user authenticate again (new auth_time)', async () => {
    const first = await obtainCode(fx);
    const before = idClaims((await redeem(fx, first)).body.id_token as string).auth_time as number;
    fx.api.time.advance(1_100); // auth_time has one-second resolution
    const page = await first.agent.navigate(authorizeUrl(fx, { prompt: 'login' }), {}, 'https://web.acme.example/');
    expect(page.url).toContain('/login?interaction=');
    const again = await obtainCode(fx, { agent: first.agent, extra: { prompt: 'login' } });
    const after = idClaims((await redeem(fx, again)).body.id_token as string).auth_time as number;
    expect(after).toBeGreaterThan(before);
  });

  it('max_age=0 requires a fresh login; a generous max_age does not', async () => {
    const { agent } = await obtainCode(fx);
    const strict = await agent.navigate(authorizeUrl(fx, { max_age: '0' }), {}, 'https://web.acme.example/');
    expect(strict.url).toContain('/login?interaction=');
    const relaxed = await agent.navigate(authorizeUrl(fx, { max_age: '3600' }), {}, 'https://web.acme.example/');
    expect(new URL(relaxed.url).searchParams.get('code')).toBeTruthy();
  });

  it('max_age=0 is met by the sign-in it forced, however long the consent page takes afterwards (no login loop)', async () => {
    // A user of its own: the consent it gives must not answer other tests' consent pages.
    const email = `max-age-zero.${Date.now()}@acme.example`;
    await fx.admin.post('/tenants/acme/users', { email, password: PASSWORD, emailVerified: true });
    const agent = new UserAgent();
    const native = { client_id: 'acme-native', redirect_uri: 'http://127.0.0.1/callback', max_age: '0' };
    let step = await agent.navigate(authorizeUrl(fx, native), {}, 'http://127.0.0.1/');
    step = await agent.submitForm(step.url, await step.response.text(), { email, password: PASSWORD }, 'http://127.0.0.1/');
    const consent = await step.response.text();
    expect(consent, step.url).toContain('value="approve"');
    fx.api.time.advance(30_000);
    step = await agent.submitForm(step.url, consent, {}, 'http://127.0.0.1/', { name: 'decision', value: 'approve' });
    expect(new URL(step.url).searchParams.get('code'), step.url).toBeTruthy();
    // The next request with max_age=0 asks again: the sign-in counted for its own request only.
    const next = await agent.navigate(authorizeUrl(fx, native), {}, 'http://127.0.0.1/');
    expect(next.url).toContain('/login?interaction=');
  });

  it('login_hint pre-fills the email field', async () => {
    const page = await new UserAgent().navigate(authorizeUrl(fx, { login_hint: 'hint@acme.example' }));
    expect(await page.response.text()).toContain('value="hint@acme.example"');
  });

  it('denying consent returns access_denied with state and iss', async () => {
    const agent = new UserAgent();
    let step = await agent.navigate(authorizeUrl(fx, { client_id: 'acme-native', redirect_uri: 'http://127.0.0.1/callback' }), {}, 'http://127.0.0.1/');
    step = await agent.submitForm(step.url, await step.response.text(), { email: fx.email, password: PASSWORD }, 'http://127.0.0.1/');
    step = await agent.submitForm(step.url, await step.response.text(), {}, 'http://127.0.0.1/', { name: 'decision', value: 'deny' });
    const callback = new URL(step.url);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('state-123');
    expect(callback.searchParams.get('iss')).toBe(fx.issuer);
  });

  it('offline_access for a third-party client needs prompt=consent (OIDC Core §11); otherwise it is dropped', async () => {
    const agent = new UserAgent();
    const plain = await obtainCode(fx, { clientId: 'acme-native', redirectUri: 'http://127.0.0.1/callback', agent, scope: 'openid offline_access' });
    expect((await redeem(fx, plain)).body.scope).toBe('openid');
    const consented = await obtainCode(fx, { clientId: 'acme-native', redirectUri: 'http://127.0.0.1/callback', agent, scope: 'openid offline_access', extra: { prompt: 'consent' } });
    expect((await redeem(fx, consented)).body.scope).toBe('openid offline_access');
  });

  it('remembers consent, lists it, and revoking it kills the refresh tokens and asks again', async () => {
    const agent = new UserAgent();
    const issued = await obtainCode(fx, { clientId: 'acme-native', redirectUri: 'http://127.0.0.1/callback', agent, scope: 'openid email' });
    const tokens = await redeem(fx, issued);
    const consents = (await fx.admin.get(`/tenants/acme/users/${fx.userId}/consents`)).json();
    expect(consents.items).toContainEqual(expect.objectContaining({ clientId: 'acme-native', scopes: expect.arrayContaining(['openid', 'email']) }));
    expect((await fx.admin.delete(`/tenants/acme/users/${fx.userId}/consents/acme-native`)).statusCode).toBe(204);
    expect((await fx.admin.delete(`/tenants/acme/users/${fx.userId}/consents/acme-native`)).statusCode).toBe(404);
    const refresh = await tokenRequest(fx, { grant_type: 'refresh_token', client_id: 'acme-native', refresh_token: tokens.body.refresh_token as string });
    expect(refresh.body.error).toBe('invalid_grant');
    const again = await agent.navigate(authorizeUrl(fx, { client_id: 'acme-native', redirect_uri: 'http://127.0.0.1/callback' }), {}, 'http://127.0.0.1/');
    expect(again.url).toContain('/consent?interaction=');
  });

  it('refresh rotation never extends the family’s absolute lifetime', async () => {
    const first = await redeem(fx, await obtainCode(fx));
    let token = first.body.refresh_token as string;
    for (let i = 0; i < 3; i += 1) token = (await tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: token }, { headers: basicAuth('acme-web', fx.webSecret) })).body.refresh_token as string;
    const rows = await fx.api.database.query<{ expires_at: Date; absolute_expires_at: Date; created_at: Date }>(
      `select t.expires_at, f.absolute_expires_at, f.created_at from refresh_tokens t join refresh_token_families f on f.id = t.family_id
       where f.id = (select family_id from refresh_tokens where token_hash = sha256($1::text::bytea))`,
      [token],
    );
    expect(rows.rowCount).toBe(4);
    for (const row of rows.rows) expect(row.expires_at.getTime()).toBeLessThanOrEqual(row.absolute_expires_at.getTime());
    const absolute = rows.rows[0]!.absolute_expires_at.getTime() - rows.rows[0]!.created_at.getTime();
    expect(Math.round(absolute / 1000)).toBe(fx.api.config.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS);
  });

  it('a disabled user cannot sign in and gets the same message as a wrong password', async () => {
    const user = (await fx.admin.post('/tenants/acme/users', { email: 'disabled@acme.example', password: PASSWORD })).json();
    await fx.admin.patch(`/tenants/acme/users/${user.id}`, { disabled: true });
    const agent = new UserAgent();
    const page = await agent.navigate(authorizeUrl(fx, {}));
    const after = await agent.submitForm(page.url, await page.response.text(), { email: 'disabled@acme.example', password: PASSWORD });
    expect(await after.response.text()).toContain('Incorrect email or password.');
    await fx.api.ctx.audit.flush();
    const audit = await fx.api.database.query(`select reason from audit_events where event = 'login' and user_id = $1`, [user.id]);
    expect(audit.rows).toEqual([{ reason: 'user_disabled' }]);
  });

  it('counts logins under identity_auth_events_total and never logs the password', async () => {
    await obtainCode(fx);
    const agent = new UserAgent();
    const page = await agent.navigate(authorizeUrl(fx, {}));
    await agent.submitForm(page.url, await page.response.text(), { email: fx.email, password: 'not-the-password' });
    const metrics = (await fx.api.metricsApp.inject('/metrics')).body;
    expect(metrics).toMatch(/identity_auth_events_total\{tenant="acme",event="login",result="success",reason=""\} \d+/);
    expect(metrics).toMatch(/identity_auth_events_total\{tenant="acme",event="login",result="failure",reason="invalid_credentials"\} \d+/);
    expect(fx.api.rawLogs()).not.toContain(PASSWORD);
  });

  it('rehashes a password whose Argon2 parameters are weaker than configured, on a successful login', async () => {
    const argon2 = (await import('argon2')).default;
    const weak = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const user = (await fx.admin.post('/tenants/acme/users', { email: 'rehash@acme.example' })).json();
    await fx.api.database.query('update users set password_hash = $1 where id = $2', [weak, user.id]);
    const stronger = await startOAuthFixture({ ARGON2_TIME_COST: '3' });
    try {
      await stronger.admin.post('/tenants/acme/users', { email: 'rehash@acme.example' }).then(async (r) => {
        await stronger.api.database.query('update users set password_hash = $1 where id = $2', [weak, r.json().id]);
      });
      const agent = new UserAgent();
      const page = await agent.navigate(authorizeUrl(stronger, {}));
      await agent.submitForm(page.url, await page.response.text(), { email: 'rehash@acme.example', password: PASSWORD }, 'https://web.acme.example/');
      const row = await stronger.api.database.query<{ password_hash: string }>(`select password_hash from users where email = 'rehash@acme.example'`);
      expect(row.rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=3,p=1\$/);
      expect(await argon2.verify(row.rows[0]!.password_hash, PASSWORD)).toBe(true);
    } finally {
      await stronger.close();
    }
  });

  it('after a burst of failed sign-ins from one network, that network waits: the page itself, 429 with Retry-After', async () => {
    const limited = await startOAuthFixture({ LOGIN_FAILURE_BURST: '3' });
    try {
      const agent = new UserAgent();
      let page = await agent.navigate(authorizeUrl(limited, {}));
      for (let i = 0; i < 3; i += 1) page = await agent.submitForm(page.url, await page.response.text(), { email: limited.email, password: 'wrong' });
      const refused = await agent.submitForm(page.url, await page.response.text(), { email: limited.email, password: PASSWORD }, 'https://web.acme.example/');
      expect(refused.response.status).toBe(429);
      expect(refused.url).toContain('/login');
      expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.response.headers.get('ratelimit-policy')).toBe('"login-burst";q=3;w=60');
      expect(refused.response.headers.get('ratelimit')).toMatch(/^"login-burst";r=0;t=\d+$/);
      expect(refused.response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(await refused.response.text()).toMatch(/Too many failed sign-in attempts\. Try again in \d+ seconds\./);
      expect(agent.cookie('__Secure-lanyard_session')).toBeUndefined();
      expect((await limited.api.metricsApp.inject('/metrics')).body).toMatch(/identity_rate_limited_requests_total\{tenant="acme",limiter="login-burst"\} 1/);
    } finally {
      await limited.close();
    }
  });

  it('a login form posted without its CSRF token or from another browser is refused', async () => {
    const agent = new UserAgent();
    const page = await agent.navigate(authorizeUrl(fx, {}));
    const html = await page.response.text();
    const forged = await agent.submitForm(page.url, html, { email: fx.email, password: PASSWORD, csrf_token: 'forged' });
    expect(forged.response.status).toBe(403);
    const otherBrowser = new UserAgent();
    const stolen = await otherBrowser.submitForm(page.url, html, { email: fx.email, password: PASSWORD });
    expect(stolen.response.status).toBe(403);
    expect(otherBrowser.cookie('__Secure-lanyard_session')).toBeUndefined();
  });

  it('code + PKCE works with a verifier of the maximum length (128)', async () => {
    const verifier = 'a'.repeat(128);
    const challenge = (await import('node:crypto')).createHash('sha256').update(verifier).digest('base64url');
    const agent = new UserAgent();
    let step = await agent.navigate(authorizeUrl(fx, { code_challenge: challenge }), {}, 'https://web.acme.example/');
    step = await agent.submitForm(step.url, await step.response.text(), { email: fx.email, password: PASSWORD }, 'https://web.acme.example/');
    const code = new URL(step.url).searchParams.get('code')!;
    expect((await redeem(fx, { code, verifier, redirectUri: 'https://web.acme.example/callback', clientId: 'acme-web', agent })).status).toBe(200);
  });
});
