import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { useAccountsFixture } from '../../support/accounts-fixture.js';
import type { MailPipeline } from '../../support/mail-pipeline.js';
import { discover, SPA_REDIRECT, startAuthorization, type OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

const NEW_PASSWORD = 'a quiet lake at dawn';

describe('self-service sign-up with email verification', () => {
  let fx: OAuthFixture;
  let mail: MailPipeline;
  useAccountsFixture({ accounts: { signup: 'open', emailFromName: 'Acme Accounts', emailFromAddress: 'accounts@acme.example' } }, (f, m) => {
    fx = f;
    mail = m;
  });

  it('signs up from an app, verifies the address through the emailed link, and resumes the app sign-in', async () => {
    const config = await discover(fx.issuer, 'acme-spa');
    const start = await startAuthorization(config, SPA_REDIRECT);
    const agent = new UserAgent();
    const login = await agent.navigate(start.url.toString());
    expect(login.url).toContain('/tenants/acme/login?interaction=');
    const loginHtml = await login.response.text();
    const signupHref = /href="([^"]*\/signup\?interaction=[^"]+)"/.exec(loginHtml)?.[1];
    expect(signupHref).toBeDefined();

    const signupUrl = new URL(signupHref!.replaceAll('&amp;', '&'), fx.api.baseUrl).toString();
    const form = await agent.request(signupUrl);
    expect(form.status).toBe(200);
    const sent = await agent.submitForm(signupUrl, await form.text(), { email: 'Bob@Acme.Example', name: 'Bob', password: NEW_PASSWORD });
    expect(sent.url).toMatch(/\/tenants\/acme\/signup\/sent\?interaction=/);
    expect(await sent.response.text()).toContain('Check your inbox');

    // Before verification the password is right but sign-in is refused with a way to get a new link.
    const early = await agent.navigate(login.url);
    const refused = await agent.submitForm(early.url, await early.response.text(), { email: 'bob@acme.example', password: NEW_PASSWORD });
    expect(refused.response.status).toBe(403);
    expect(await refused.response.text()).toContain('Confirm your email address first');

    const message = await mail.waitForMail('bob@acme.example', /Confirm your e-mail address for Acme/);
    expect(message.from).toBe('"Acme Accounts" <accounts@acme.example>');
    expect(message.html).toContain('Confirm e-mail address');
    const link = mail.linkIn(message, `${fx.issuer}/email/verify?token=`);

    const confirm = await agent.request(link);
    expect(confirm.status).toBe(200);
    const confirmed = await agent.submitForm(link, await confirm.text(), {});
    // Back on the app's pending sign-in, with a confirmation and the address filled in.
    expect(confirmed.url).toContain(`/tenants/acme/login?interaction=`);
    const loginAgain = await confirmed.response.text();
    expect(loginAgain).toContain('Your email address is verified');
    expect(loginAgain).toContain('value="bob@acme.example"');

    const callback = await agent.submitForm(confirmed.url, loginAgain, { password: NEW_PASSWORD }, SPA_REDIRECT);
    expect(callback.url.startsWith(SPA_REDIRECT)).toBe(true);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback.url), { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
    // Scope claims come from userinfo when an access token is issued (OIDC Core §5.4).
    const claims = await oidc.fetchUserInfo(config, tokens.access_token, tokens.claims()!.sub);
    expect(claims.email).toBe('bob@acme.example');
    expect(claims.email_verified).toBe(true);
    expect(claims.name).toBe('Bob');

    const users = await fx.admin.get('/tenants/acme/users?email=bob@acme.example');
    expect(users.json().items).toEqual([expect.objectContaining({ emailVerified: true, hasPassword: true })]);
  });

  it('refuses the verification link a second time, with a page that offers a new one', async () => {
    const agent = new UserAgent();
    await signUp(agent, 'carol@acme.example');
    const link = mail.linkIn(await mail.waitForMail('carol@acme.example', /Confirm your e-mail address/), `${fx.issuer}/email/verify?token=`);
    const page = await agent.request(link);
    const html = await page.text();
    const first = await agent.submitForm(link, html, {});
    // Signed up without an app: verification ends on the issuer's own sign-in page.
    expect(first.url).toMatch(/\/tenants\/acme\/account\/login\?notice=verified$/);
    expect(await first.response.text()).toContain('Your email address is verified');
    const again = await agent.request(link);
    expect(again.status).toBe(410);
    const body = await again.text();
    expect(body).toContain('This link has already been used.');
    expect(body).toContain('/tenants/acme/email/verify/resend');
    // Posting the old form again does not verify anything either.
    expect((await agent.submitForm(link, html, {})).response.status).toBe(410);
  });

  it('tells an already registered address by email instead, and answers exactly as for a new one', async () => {
    const fresh = await signUpResponse(new UserAgent(), 'dave@acme.example');
    const taken = await signUpResponse(new UserAgent(), fx.email);
    expect(taken.status).toBe(fresh.status);
    expect(taken.location).toBe(fresh.location);
    expect(taken.page).toBe(fresh.page);
    const notice = await mail.waitForMail(fx.email, /You already have a Acme account|already have/);
    expect(notice.text).toContain(`${fx.issuer}/password/forgot`);
    // Alice's account is untouched: her password still works, nothing else was created.
    const users = await fx.admin.get(`/tenants/acme/users?email=${fx.email}`);
    expect(users.json().items).toHaveLength(1);
  });

  it('refuses a password that is too short or on the breached-password list, before creating anything', async () => {
    const agent = new UserAgent();
    const url = `${fx.issuer}/signup`;
    for (const [password, message] of [
      ['short pass', 'Use at least 12 characters.'],
      ['qwertyuiop123', 'too common'],
      ['erin@acme.example!', 'must not contain your email'],
    ] as const) {
      const page = await agent.request(url);
      const result = await agent.submitForm(url, await page.text(), { email: 'erin@acme.example', password });
      expect(result.response.status).toBe(422);
      expect(await result.response.text()).toContain(message);
    }
    expect((await fx.admin.get('/tenants/acme/users?email=erin@acme.example')).json().items).toEqual([]);
  });

  it('records sign-ups and verifications in the audit log and the auth-event counter', async () => {
    const metrics = await fx.api.metricsApp.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/identity_auth_events_total\{tenant="acme",event="signup",result="success",reason=""\} [1-9]/);
    expect(metrics.body).toMatch(/identity_auth_events_total\{tenant="acme",event="signup",result="failure",reason="weak_password"\} [1-9]/);
    expect(metrics.body).toMatch(/identity_auth_events_total\{tenant="acme",event="email_verification",result="success",reason=""\} [1-9]/);
  });

  async function signUpResponse(agent: UserAgent, email: string) {
    const url = `${fx.issuer}/signup`;
    const page = await agent.request(url);
    const form = await page.text();
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(form)![1]!;
    const response = await agent.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf_token: csrf, email, password: NEW_PASSWORD }) });
    return { status: response.status, location: response.headers.get('location'), page: await (await agent.request(new URL(response.headers.get('location')!, url).toString())).text() };
  }

  async function signUp(agent: UserAgent, email: string) {
    const url = `${fx.issuer}/signup`;
    const page = await agent.request(url);
    return agent.submitForm(url, await page.text(), { email, password: NEW_PASSWORD });
  }
});
