import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { testSecrets } from '@lanyard/testing';
import { useAccountsFixture } from '../../support/accounts-fixture.js';
import type { MailPipeline } from '../../support/mail-pipeline.js';
import { discover, startAuthorization, type OAuthFixture } from '../../support/oauth-fixture.js';
import { enrolFromAccountPage, enrolmentKey, recoveryCodesOn, TestAuthenticator } from '../../support/second-factor-helpers.js';
import { UserAgent } from '../../support/user-agent.js';

const WEB_REDIRECT = 'https://web.acme.example/callback';
const ACR_MFA = 'urn:lanyard:acr:mfa';

describe('second factors: TOTP and recovery codes', () => {
  let fx: OAuthFixture;
  let mail: MailPipeline;
  useAccountsFixture({}, (f, m) => {
    fx = f;
    mail = m;
  });

  let counter = 0;
  async function freshUser(): Promise<{ email: string; password: string; id: string }> {
    counter += 1;
    const email = `mfa${counter}.${Date.now()}@acme.example`;
    const password = `a passphrase for mfa user ${counter}`;
    const id = (await fx.admin.post('/tenants/acme/users', { email, password, emailVerified: true })).json().id;
    return { email, password, id };
  }

  async function accountPage(agent: UserAgent, user: { email: string; password: string }): Promise<{ url: string; html: string }> {
    const loginUrl = `${fx.issuer}/account/login`;
    const done = await agent.submitForm(loginUrl, await (await agent.request(loginUrl)).text(), user);
    return { url: done.url, html: await done.response.text() };
  }

  /** Starts an app sign-in (openid-client builds the request) and submits the password; returns where it landed. */
  async function passwordStep(agent: UserAgent, user: { email: string; password: string }, extra: Record<string, string> = {}) {
    const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
    const start = await startAuthorization(config, WEB_REDIRECT, 'openid email', extra);
    const login = await agent.navigate(start.url.toString(), {}, WEB_REDIRECT);
    const html = await login.response.text();
    const next = login.url.includes('/login?') ? await agent.submitForm(login.url, html, user, WEB_REDIRECT) : login;
    return { config, start, step: next };
  }

  /** Redeems the callback with openid-client, which validates the ID token (nonce, iss, aud, signature). */
  async function redeem(config: oidc.Configuration, start: { verifier: string; state: string; nonce: string }, callback: string) {
    const tokens = await oidc.authorizationCodeGrant(config, new URL(callback), { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce, idTokenExpected: true });
    return tokens.claims()!;
  }

  it('after enrolment on the account page, an app sign-in asks for the code; wrong, stale and reused codes are refused; amr and acr say mfa', async () => {
    const user = await freshUser();
    const owner = new UserAgent();
    const account = await accountPage(owner, user);
    expect(account.html).toContain('Set up an authenticator app');
    const { app, codes, codesUrl } = await enrolFromAccountPage(owner, account.url, account.html);
    expect(codesUrl).toBe(`${fx.issuer}/account/recovery-codes`);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    // Shown once: the page is gone on a second visit.
    const again = await owner.request(codesUrl);
    expect(again.status).toBe(303);
    expect(again.headers.get('location')).toBe(`${fx.issuer}/account`);
    await mail.waitForMail(user.email, /An authenticator app was added/);
    const listed = (await fx.admin.get(`/tenants/acme/users/${user.id}/factors`)).json();
    expect(listed.items.map((f: { kind: string }) => f.kind).sort()).toEqual(['recovery_codes', 'totp']);
    expect(listed.items.find((f: { kind: string }) => f.kind === 'recovery_codes').remaining).toBe(10);

    const browser = new UserAgent();
    const { config, start, step } = await passwordStep(browser, user);
    expect(step.url).toBe(`${fx.issuer}/login/second-factor`);
    expect(step.response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(browser.cookie('__Secure-lanyard_session')).toBeUndefined();
    let page = await step.response.text();
    expect(page).toContain('Two-step verification');

    const wrong = await browser.submitForm(step.url, page, { code: app.code() === '000000' ? '111111' : '000000' });
    expect(wrong.url).toBe(`${fx.issuer}/login/second-factor?error=otp_invalid`);
    page = await wrong.response.text();
    expect(page).toContain('That code is not right');
    const stale = await browser.submitForm(wrong.url, page, { code: app.code(-3) });
    expect(stale.url).toContain('error=otp_invalid');
    page = await stale.response.text();
    // The code the account page just used is this step's; the next step's code is within the ±1 window.
    const code = app.code(1);
    const done = await browser.submitForm(stale.url, page, { code }, WEB_REDIRECT);
    expect(done.url.startsWith(WEB_REDIRECT)).toBe(true);
    const claims = await redeem(config, start, done.url);
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
    expect(claims.acr).toBe(ACR_MFA);

    // The same code again, in another browser: refused as replayed (RFC 6238 §5.2).
    const other = new UserAgent();
    const second = await passwordStep(other, user);
    const replayed = await other.submitForm(second.step.url, await second.step.response.text(), { code });
    expect(replayed.url).toBe(`${fx.issuer}/login/second-factor?error=otp_replayed`);
    expect(await replayed.response.text()).toContain('That code was used already');

    await fx.api.ctx.audit.flush();
    const audit = await fx.api.database.query<{ result: string; reason: string }>("select result, reason from audit_events where event = 'mfa' and user_id = $1 order by created_at", [user.id]);
    expect(audit.rows.map((r) => `${r.result}:${r.reason}`)).toEqual(expect.arrayContaining(['failure:otp_invalid', 'success:otp', 'failure:otp_replayed']));
  });

  it('a user without a password (federated) makes new codes and removes the app on a recent sign-in only', async () => {
    const user = await freshUser();
    const owner = new UserAgent();
    const account = await accountPage(owner, user);
    const { codes: first } = await enrolFromAccountPage(owner, account.url, account.html);
    await fx.api.database.query('update users set password_hash = null where id = $1', [user.id]);
    const accountUrl = `${fx.issuer}/account`;
    const submit = async (suffix: string) => owner.submitFormTo(accountUrl, await (await owner.request(accountUrl)).text(), suffix, {});
    const kinds = async () => (await fx.admin.get(`/tenants/acme/users/${user.id}/factors`)).json().items.map((f: { kind: string }) => f.kind).sort();
    // On the API's clock, which other tests move forward.
    const signedInAgo = (minutes: number) => fx.api.database.query('update sessions set auth_time = $2 where user_id = $1', [user.id, new Date(fx.api.time.clock().getTime() - minutes * 60_000)]);

    // The enrolment itself was a sign-in a moment ago: no password is asked, none exists.
    const renewed = await submit('/account/recovery-codes');
    expect(renewed.url).toBe(`${fx.issuer}/account/recovery-codes`);
    const second = recoveryCodesOn(await renewed.response.text());
    expect(second).toHaveLength(10);
    expect(second.filter((c) => first.includes(c))).toEqual([]);

    await signedInAgo(11);
    expect((await submit('/account/recovery-codes')).url).toBe(`${accountUrl}?error=sign_in_again`);
    expect((await submit('/account/totp/remove')).url).toBe(`${accountUrl}?error=sign_in_again`);
    expect(await kinds()).toEqual(['recovery_codes', 'totp']);

    await signedInAgo(9);
    expect((await submit('/account/totp/remove')).url).toBe(`${accountUrl}?notice=totp_removed`);
    expect(await kinds()).toEqual([]);
  });

  it('a recovery code signs in once, is mailed as a notice, and then no longer works', async () => {
    const user = await freshUser();
    const owner = new UserAgent();
    const account = await accountPage(owner, user);
    const { codes } = await enrolFromAccountPage(owner, account.url, account.html);

    const browser = new UserAgent();
    const first = await passwordStep(browser, user);
    const page = await first.step.response.text();
    expect(page).toContain('Use a recovery code');
    const used = await browser.submitFormTo(first.step.url, page.slice(page.indexOf('<details>')), '/login/second-factor', { code: codes[3]!.toLowerCase() }, WEB_REDIRECT);
    expect(used.url.startsWith(WEB_REDIRECT)).toBe(true);
    const claims = await redeem(first.config, first.start, used.url);
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
    const notice = await mail.waitForMail(user.email, /A recovery code was used/);
    expect(notice.text).toContain('9');

    const again = new UserAgent();
    const second = await passwordStep(again, user);
    const html = await second.step.response.text();
    const refused = await again.submitFormTo(second.step.url, html.slice(html.indexOf('<details>')), '/login/second-factor', { code: codes[3]! });
    expect(refused.url).toBe(`${fx.issuer}/login/second-factor?error=recovery_invalid`);
    const remaining = (await fx.admin.get(`/tenants/acme/users/${user.id}/factors`)).json().items.find((f: { kind: string }) => f.kind === 'recovery_codes');
    expect(remaining.remaining).toBe(9);
  });

  it('recovery codes stand in for a passkey too: the app goes, the codes stay; the last factor takes them, and a tenant that requires one keeps it', async () => {
    const user = await freshUser();
    const owner = new UserAgent();
    const account = await accountPage(owner, user);
    const { codes } = await enrolFromAccountPage(owner, account.url, account.html);
    const accountUrl = `${fx.issuer}/account`;
    const kinds = async () => (await fx.admin.get(`/tenants/acme/users/${user.id}/factors`)).json().items.map((f: { kind: string }) => f.kind).sort();
    const removeApp = async () => owner.submitFormTo(accountUrl, await (await owner.request(accountUrl)).text(), '/account/totp/remove', { remove_password: user.password });
    const requireMfa = (policy: 'required' | 'optional') => fx.admin.put('/tenants/acme', { displayName: 'Acme', mfa: { policy, enrolmentGraceDays: 0 } });
    // The app is the only factor of a tenant that requires one: it stays, with its codes.
    await requireMfa('required');
    try {
      expect((await removeApp()).url).toBe(`${accountUrl}?error=factor_required`);
      expect(await kinds()).toEqual(['recovery_codes', 'totp']);
    } finally {
      await requireMfa('optional');
    }
    // A passkey as registration leaves it (the browser journeys register real ones).
    const [credential] = (
      await fx.api.database.query<{ id: string }>(
        "insert into webauthn_credentials (tenant_id, user_id, credential_id, public_key, counter, transports, device_type, backed_up, name) select tenant_id, id, 'cred-' || id, '\\x00', 0, '{internal}', 'singleDevice', false, 'Laptop' from users where id = $1 returning id",
        [user.id],
      )
    ).rows;
    let html = await (await owner.request(accountUrl)).text();
    expect(html).toContain('Remove the authenticator app');
    expect(html).not.toContain('Turn off two-step verification');

    // With a passkey left, even a tenant that requires a second factor lets the app go.
    await requireMfa('required');
    const removed = await removeApp().finally(() => requireMfa('optional'));
    expect(removed.url).toBe(`${accountUrl}?notice=totp_removed_passkeys_kept`);
    html = await removed.response.text();
    expect(html).toContain('Your passkeys and recovery codes still work.');
    expect(await kinds()).toEqual(['passkey', 'recovery_codes']);
    // No app, so no code from one is asked for; a recovery code still completes a password sign-in.
    const browser = new UserAgent();
    const { config, start, step } = await passwordStep(browser, user);
    expect(step.url).toBe(`${fx.issuer}/login/second-factor`);
    const page = await step.response.text();
    expect(page).toContain('Use a recovery code');
    const used = await browser.submitFormTo(step.url, page.slice(page.indexOf('<details>')), '/login/second-factor', { code: codes[0]! }, WEB_REDIRECT);
    expect(used.url.startsWith(WEB_REDIRECT)).toBe(true);
    expect((await redeem(config, start, used.url)).amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));

    // New codes need only a factor of any kind; the page says what made them.
    html = await (await owner.request(accountUrl)).text();
    const regenerated = await owner.submitFormTo(accountUrl, html, '/account/recovery-codes', { codes_password: user.password });
    expect(regenerated.url).toBe(`${accountUrl}/recovery-codes`);
    const codesPage = await regenerated.response.text();
    expect(recoveryCodesOn(codesPage)).toHaveLength(10);
    expect(codesPage).toContain('/account?notice=codes_regenerated');

    // The only factor left, under a policy that requires one: kept, unchanged.
    const removePasskey = async () => {
      const current = await (await owner.request(accountUrl)).text();
      return owner.submitFormTo(accountUrl, current, '/account/passkeys/remove', { passkey_id: credential!.id });
    };
    await requireMfa('required');
    try {
      const refused = await removePasskey();
      expect(refused.url).toBe(`${accountUrl}?error=last_factor_required`);
      expect(await kinds()).toEqual(['passkey', 'recovery_codes']);
    } finally {
      await requireMfa('optional');
    }
    const last = await removePasskey();
    expect(last.url).toBe(`${accountUrl}?notice=last_factor_removed`);
    expect(await kinds()).toEqual([]);
    html = await last.response.text();
    expect(html).not.toContain('Make new recovery codes');
    const plain = new UserAgent();
    expect((await passwordStep(plain, user)).step.url.startsWith(WEB_REDIRECT)).toBe(true);
  });

  it('a tenant policy of "required" makes a user without a factor enrol before the app gets a code', async () => {
    const user = await freshUser();
    await fx.admin.put('/tenants/acme', { displayName: 'Acme', mfa: { policy: 'required', enrolmentGraceDays: 0 } });
    try {
      const browser = new UserAgent();
      const { config, start, step } = await passwordStep(browser, user);
      expect(step.url).toBe(`${fx.issuer}/login/enrol`);
      const page = await step.response.text();
      expect(page).toContain('<svg class="qr"');
      expect(page).not.toContain('Not now');
      const app = new TestAuthenticator(enrolmentKey(page));
      const wrong = await browser.submitForm(step.url, page, { code: app.code() === '123456' ? '654321' : '123456' });
      expect(wrong.url).toBe(`${fx.issuer}/login/enrol?error=otp_invalid`);
      const confirmed = await browser.submitForm(wrong.url, await wrong.response.text(), { code: app.code() });
      expect(confirmed.url).toBe(`${fx.issuer}/login/enrol/codes`);
      const codesPage = await confirmed.response.text();
      expect(recoveryCodesOn(codesPage)).toHaveLength(10);
      const done = await browser.submitForm(confirmed.url, codesPage, {}, WEB_REDIRECT);
      expect(done.url.startsWith(WEB_REDIRECT)).toBe(true);
      const claims = await redeem(config, start, done.url);
      expect(claims.acr).toBe(ACR_MFA);
      expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
    } finally {
      await fx.admin.put('/tenants/acme', { displayName: 'Acme' });
    }
  });

  it('during the grace period "Not now" signs in with the password alone', async () => {
    const user = await freshUser();
    await fx.admin.put('/tenants/acme', { displayName: 'Acme', mfa: { policy: 'required', enrolmentGraceDays: 7 } });
    try {
      const browser = new UserAgent();
      const { config, start, step } = await passwordStep(browser, user);
      expect(step.url).toBe(`${fx.issuer}/login/enrol`);
      const page = await step.response.text();
      expect(page).toContain('Not now');
      const later = await browser.submitFormTo(step.url, page, '/login/enrol/later', {}, WEB_REDIRECT);
      expect(later.url.startsWith(WEB_REDIRECT)).toBe(true);
      const claims = await redeem(config, start, later.url);
      expect(claims.amr).toEqual(['pwd']);
      expect(claims.acr).toBe('urn:lanyard:acr:pwd');
      const due = (await fx.admin.get(`/tenants/acme/users/${user.id}/factors`)).json().enrolmentDueAt;
      expect(Date.parse(due) - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    } finally {
      await fx.admin.put('/tenants/acme', { displayName: 'Acme' });
    }
  });

  it('acr_values asking for mfa steps up a live password session: the factor is asked, then acr is mfa', async () => {
    const user = await freshUser();
    // A password session from before the user had a factor.
    const browser = new UserAgent();
    const first = await passwordStep(browser, user);
    expect(first.step.url.startsWith(WEB_REDIRECT)).toBe(true);
    expect((await redeem(first.config, first.start, first.step.url)).acr).toBe('urn:lanyard:acr:pwd');
    // Without a factor yet, asking for mfa makes the user enrol; prompt=none cannot.
    const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
    const silent = await startAuthorization(config, WEB_REDIRECT, 'openid', { acr_values: ACR_MFA, prompt: 'none' });
    const silentAnswer = await browser.request(silent.url.toString());
    expect(new URL(silentAnswer.headers.get('location')!).searchParams.get('error')).toBe('login_required');

    const owner = new UserAgent();
    const account = await accountPage(owner, user);
    const { app } = await enrolFromAccountPage(owner, account.url, account.html);

    const stepUp = await startAuthorization(config, WEB_REDIRECT, 'openid', { acr_values: ACR_MFA });
    const asked = await browser.navigate(stepUp.url.toString(), {}, WEB_REDIRECT);
    expect(asked.url).toBe(`${fx.issuer}/login/second-factor`);
    const done = await browser.submitForm(asked.url, await asked.response.text(), { code: app.code(1) }, WEB_REDIRECT);
    const claims = await redeem(config, stepUp, done.url);
    expect(claims.acr).toBe(ACR_MFA);
    expect(claims.amr).toEqual(expect.arrayContaining(['pwd', 'otp', 'mfa']));
  });

  it('max_age past: a live two-factor session signs in again with both factors, and auth_time moves', async () => {
    const user = await freshUser();
    const owner = new UserAgent();
    const account = await accountPage(owner, user);
    const { app } = await enrolFromAccountPage(owner, account.url, account.html);
    const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
    const first = await startAuthorization(config, WEB_REDIRECT, 'openid');
    const silent = await owner.navigate(first.url.toString(), {}, WEB_REDIRECT);
    expect(silent.url.startsWith(WEB_REDIRECT)).toBe(true);
    const before = await redeem(config, first, silent.url);
    expect(before.acr).toBe(ACR_MFA);

    fx.api.time.advance(5_000);
    const fresh = await startAuthorization(config, WEB_REDIRECT, 'openid', { max_age: '1' });
    const login = await owner.navigate(fresh.url.toString(), {}, WEB_REDIRECT);
    expect(login.url).toContain('/login?interaction=');
    const code = await owner.submitForm(login.url, await login.response.text(), user, WEB_REDIRECT);
    expect(code.url).toBe(`${fx.issuer}/login/second-factor`);
    const done = await owner.submitForm(code.url, await code.response.text(), { code: app.code(1) }, WEB_REDIRECT);
    const after = await redeem(config, fresh, done.url);
    expect(after.acr).toBe(ACR_MFA);
    expect(after.auth_time!).toBeGreaterThan(before.auth_time!);
  });

  it('an admin reset removes every factor, mails the user, and sign-in needs the password alone again', async () => {
    const user = await freshUser();
    const owner = new UserAgent();
    const account = await accountPage(owner, user);
    await enrolFromAccountPage(owner, account.url, account.html);
    expect((await fx.admin.get('/tenants/acme/users/00000000-0000-4000-8000-000000000000/factors')).statusCode).toBe(404);
    expect((await fx.admin.delete(`/tenants/acme/users/${user.id}/factors`)).statusCode).toBe(204);
    expect((await fx.admin.get(`/tenants/acme/users/${user.id}/factors`)).json().items).toEqual([]);
    await mail.waitForMail(user.email, /second factors of your Acme account were removed/);
    await fx.api.ctx.audit.flush();
    const audited = await fx.api.database.query<{ client_id: string | null }>("select client_id from audit_events where event = 'mfa_reset' and user_id = $1", [user.id]);
    expect(audited.rows).toEqual([{ client_id: testSecrets.bootstrapClientId }]);
    const browser = new UserAgent();
    const { step } = await passwordStep(browser, user);
    expect(step.url.startsWith(WEB_REDIRECT)).toBe(true);
  });

  it('the second-factor page without a pending sign-in is an error page, and a form from another browser is refused', async () => {
    const lost = await new UserAgent().request(`${fx.issuer}/login/second-factor`);
    expect(lost.status).toBe(400);
    expect(lost.headers.get('content-type')).toContain('text/html');
    const user = await freshUser();
    const owner = new UserAgent();
    const account = await accountPage(owner, user);
    const { app } = await enrolFromAccountPage(owner, account.url, account.html);
    const browser = new UserAgent();
    const { step } = await passwordStep(browser, user);
    const page = await step.response.text();
    // An attacker's browser with the victim's form (CSRF token) but not its cookie.
    const attacker = new UserAgent();
    const forged = await attacker.submitForm(step.url, page, { code: app.code(1) });
    expect(forged.response.status).toBe(400);
    expect(attacker.cookie('__Secure-lanyard_session')).toBeUndefined();
  });
});
