import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { authorizeUrl } from '../../support/oauth-helpers.js';
import { PASSWORD, startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { enrolFromAccountPage } from '../../support/second-factor-helpers.js';
import { UserAgent } from '../../support/user-agent.js';

const CALLBACK = 'https://web.acme.example/';

/**
 * Sign-in lockout that attackers cannot turn against users (docs/adr/0004-login-lockout.md):
 * failures are counted per account and IP network, atomically; successes never count; the account
 * keeps working from other networks, and a password change is the way back in.
 */
describe('sign-in lockout per account and network', () => {
  let fx: OAuthFixture;
  let admin: AdminClient;
  beforeAll(async () => {
    // The API sits behind one proxy here, so X-Forwarded-For says which network a browser is in.
    fx = await startOAuthFixture({ TRUST_PROXY_HOPS: '1', LOGIN_FAILURE_BURST: '1000', LOGIN_LOCKOUT_FAILURES: '10', LOGIN_ACCOUNT_LOCKOUT_FAILURES: '1000' });
    admin = adminClient(fx.api.app, await fx.api.adminToken());
  });
  afterAll(() => fx.close());

  const browserIn = (address: string) => new UserAgent({ 'x-forwarded-for': address });
  const loginPage = async (agent: UserAgent) => {
    const page = await agent.navigate(authorizeUrl(fx, {}));
    return { url: page.url, html: await page.response.text() };
  };
  const signIn = async (agent: UserAgent, email: string, password: string) => {
    const { url, html } = await loginPage(agent);
    return agent.submitForm(url, html, { email, password }, CALLBACK);
  };
  const verifications = async (email: string) =>
    Number((await fx.api.ctx.database.pool.query(`select count(*) from audit_events e join users u on u.id = e.user_id where u.email = $1 and e.reason = 'invalid_credentials'`, [email])).rows[0].count);
  const newUser = async (email: string) => {
    expect((await admin.post('/tenants/acme/users', { email, password: PASSWORD, emailVerified: true })).statusCode).toBe(201);
  };

  it('50 parallel wrong passwords for one account stay within the budget; the right password works from another network meanwhile', async () => {
    const email = 'parallel@acme.example';
    await newUser(email);
    const attacker = browserIn('198.51.100.23');
    const { url, html } = await loginPage(attacker);
    const answers = await Promise.all(Array.from({ length: 50 }, () => attacker.submitForm(url, html, { email, password: 'wrong password' }, CALLBACK)));
    const statuses = answers.map((a) => a.response.status);
    const fallback = fx.api.logs.filter((l) => String(l.msg).startsWith('redis unreachable'));
    expect(fallback, 'the shared limiter must decide here, not the per-process fallback').toEqual([]);
    expect(statuses.filter((s) => s === 200), JSON.stringify(statuses)).toHaveLength(10); // checked and wrong: 303 back to the form
    expect(statuses.filter((s) => s === 429)).toHaveLength(40); // refused before any password check
    await fx.api.ctx.audit.flush();
    expect(await verifications(email)).toBe(10);

    // The account owner, on another network, is unaffected …
    const owner = await signIn(browserIn('203.0.113.5'), email, PASSWORD);
    expect(owner.url).toMatch(/^https:\/\/web\.acme\.example\/callback\?code=/);
    // … while the attacker's network is locked out, even with the right password, by a 429 page.
    const locked = await signIn(browserIn('198.51.100.200'), email, PASSWORD);
    expect(locked.response.status).toBe(429);
    expect(Number(locked.response.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(locked.response.headers.get('ratelimit-policy')).toBe('"login-lockout";q=10;w=900');
    expect(await locked.response.text()).toMatch(/Too many failed sign-in attempts\. Try again in \d+ seconds\./);
  });

  it('wrong second-factor codes count like wrong passwords: ten lock that network out, even for the right code; another network still signs in', async () => {
    const email = 'two-step@acme.example';
    await newUser(email);
    const owner = browserIn('203.0.113.77');
    const accountLogin = `${fx.issuer}/account/login`;
    const account = await owner.submitForm(accountLogin, await (await owner.request(accountLogin)).text(), { email, password: PASSWORD });
    const { app } = await enrolFromAccountPage(owner, account.url, await account.response.text());

    const attacker = browserIn('198.51.100.77');
    const step = await signIn(attacker, email, PASSWORD);
    expect(step.url).toBe(`${fx.issuer}/login/second-factor`);
    let page = await step.response.text();
    const wrongCode = app.code(1) === '000000' ? '111111' : '000000';
    for (let i = 0; i < 10; i += 1) {
      const wrong = await attacker.submitForm(`${fx.issuer}/login/second-factor`, page, { code: wrongCode });
      expect(wrong.url).toContain('error=otp_invalid');
      page = await wrong.response.text();
    }
    const refused = await attacker.submitForm(`${fx.issuer}/login/second-factor`, page, { code: app.code(1) });
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get('retry-after'))).toBeGreaterThan(60);
    expect(await refused.response.text()).toMatch(/Too many failed sign-in attempts/);

    const elsewhere = browserIn('192.0.2.77');
    const second = await signIn(elsewhere, email, PASSWORD);
    const done = await elsewhere.submitForm(second.url, await second.response.text(), { code: app.code(1) }, CALLBACK);
    expect(done.url).toMatch(/^https:\/\/web\.acme\.example\/callback\?code=/);
  });

  it('successes never count: many correct sign-ins lock nothing', async () => {
    const email = 'regular@acme.example';
    await newUser(email);
    for (let i = 0; i < 15; i += 1) expect((await signIn(browserIn('192.0.2.50'), email, PASSWORD)).url).toContain('code=');
    for (let i = 0; i < 9; i += 1) await signIn(browserIn('192.0.2.50'), email, 'wrong');
    expect((await signIn(browserIn('192.0.2.50'), email, PASSWORD)).url).toContain('code=');
  });

  it('unknown accounts lock out exactly like known ones (a lockout reveals nobody)', async () => {
    const agent = browserIn('198.18.5.5');
    const statuses = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await signIn(agent, 'nobody-here@acme.example', 'whatever')).response.status);
    expect(statuses).toEqual([...Array(10).fill(200), 429]); // ten times back to the form, then refused
  });

  it('a password change is the way back in: the locked network signs in with the new password', async () => {
    const email = 'reset@acme.example';
    await newUser(email);
    for (let i = 0; i < 10; i += 1) await signIn(browserIn('198.18.7.1'), email, 'wrong');
    expect((await signIn(browserIn('198.18.7.1'), email, PASSWORD)).response.status).toBe(429);
    const { id } = (await admin.get(`/tenants/acme/users?email=${encodeURIComponent(email)}`)).json().items[0] as { id: string };
    expect((await admin.patch(`/tenants/acme/users/${id}`, { password: 'a brand new passphrase' })).statusCode).toBe(200);
    expect((await signIn(browserIn('198.18.7.1'), email, 'a brand new passphrase')).url).toContain('code=');
  });

  it('account-wide lockout only at the tenant’s much higher threshold, and a password change ends it', async () => {
    const email = 'everywhere@acme.example';
    await newUser(email);
    expect((await admin.put('/tenants/acme', { displayName: 'Acme', rateLimits: { loginAccountLockoutFailures: 12 } })).statusCode).toBe(200);
    try {
      // Twelve failures spread over networks that each stay below their own lockout.
      for (let network = 0; network < 4; network += 1) for (let i = 0; i < 3; i += 1) await signIn(browserIn(`10.${network}.0.1`), email, 'wrong');
      const everywhere = await signIn(browserIn('203.0.113.77'), email, PASSWORD);
      expect(everywhere.response.status).toBe(429);
      expect(everywhere.response.headers.get('ratelimit-policy')).toMatch(/^"login-account";q=12;w=3600$/);
      expect(await everywhere.response.text()).toContain('Reset your password to sign in now');
      const { id } = (await admin.get(`/tenants/acme/users?email=${encodeURIComponent(email)}`)).json().items[0] as { id: string };
      await admin.patch(`/tenants/acme/users/${id}`, { password: 'another new passphrase' });
      expect((await signIn(browserIn('203.0.113.77'), email, 'another new passphrase')).url).toContain('code=');
    } finally {
      await admin.put('/tenants/acme', { displayName: 'Acme' });
    }
  });
});
