import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { useAccountsFixture } from '../../support/accounts-fixture.js';
import type { MailPipeline } from '../../support/mail-pipeline.js';
import { discover, PASSWORD, signInThroughPages, startAuthorization, type OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';

describe('the account page', () => {
  let fx: OAuthFixture;
  let mail: MailPipeline;
  let email: string;
  let userId: string;
  let password: string;
  useAccountsFixture({}, (f, m) => {
    fx = f;
    mail = m;
  });

  let counter = 0;
  /** A fresh verified user per test, so each test stands alone. */
  async function freshUser(): Promise<void> {
    counter += 1;
    email = `user${counter}.${Date.now()}@acme.example`;
    password = `a passphrase for user ${counter}`;
    userId = (await fx.admin.post('/tenants/acme/users', { email, password, emailVerified: true, name: 'Original' })).json().id;
  }

  async function signIn(agent: UserAgent, pass = password): Promise<{ url: string; html: string }> {
    const loginUrl = `${fx.issuer}/account/login`;
    const page = await agent.request(loginUrl);
    const done = await agent.submitForm(loginUrl, await page.text(), { email, password: pass });
    return { url: done.url, html: await done.response.text() };
  }

  it('is reached by signing in to the issuer itself; without a session it sends you there', async () => {
    await freshUser();
    const agent = new UserAgent({ 'user-agent': FIREFOX });
    const anonymous = await agent.request(`${fx.issuer}/account`);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toBe(`${fx.issuer}/account/login`);
    const { url, html } = await signIn(agent);
    expect(url).toBe(`${fx.issuer}/account`);
    expect(html).toContain(`Signed in as ${email}`);
    expect(html).toContain('Firefox on Linux');
    expect(html).toContain('this browser');
  });

  it('edits the profile: name and standard claims, validated like the admin API; a new phone number is unverified', async () => {
    await freshUser();
    await fx.admin.patch(`/tenants/acme/users/${userId}`, { phoneNumber: '+1 555 010 0100', phoneNumberVerified: true });
    const agent = new UserAgent();
    const { url, html } = await signIn(agent);
    expect(html).toContain('value="+1 555 010 0100"');
    const saved = await agent.submitFormTo(url, html, '/account/profile', {
      name: 'Renamed Person',
      givenName: 'Renamed',
      familyName: 'Person',
      website: 'https://renamed.example',
      locale: 'fr-CA',
      zoneinfo: 'Europe/Paris',
      birthdate: '0000-04-01',
      phoneNumber: '+1 555 010 0199',
      'address.locality': 'Montréal',
      'address.country': 'Canada',
    });
    expect(saved.url).toMatch(/notice=profile_saved$/);
    const page = await saved.response.text();
    expect(page).toContain('value="Renamed Person"');
    expect(page).toContain('value="Montréal"');
    expect((await fx.admin.get(`/tenants/acme/users/${userId}`)).json()).toMatchObject({
      name: 'Renamed Person',
      givenName: 'Renamed',
      familyName: 'Person',
      website: 'https://renamed.example',
      locale: 'fr-CA',
      zoneinfo: 'Europe/Paris',
      birthdate: '0000-04-01',
      phoneNumber: '+1 555 010 0199',
      phoneNumberVerified: false,
      address: { locality: 'Montréal', country: 'Canada' },
      nickname: null,
    });

    const invalid = await agent.submitFormTo(saved.url, page, '/account/profile', { website: 'javascript:alert(1)' });
    expect(invalid.url).toMatch(/error=invalid_website$/);
    expect(await invalid.response.text()).toContain('Website (URL): this value is not valid, so nothing was saved.');
    expect((await fx.admin.get(`/tenants/acme/users/${userId}`)).json().website).toBe('https://renamed.example');

    // Blank fields clear their claims, the address included.
    const cleared = await agent.submitFormTo(saved.url, page, '/account/profile', { givenName: '', 'address.locality': '', 'address.country': '' });
    expect(cleared.url).toMatch(/notice=profile_saved$/);
    expect((await fx.admin.get(`/tenants/acme/users/${userId}`)).json()).toMatchObject({ givenName: null, address: null, name: 'Renamed Person' });
  });

  it('changes the password only with the current one; other sessions and refresh tokens end, this one continues', async () => {
    await freshUser();
    const here = new UserAgent({ 'user-agent': FIREFOX });
    const elsewhere = new UserAgent({ 'user-agent': CHROME_MAC });
    const { url, html } = await signIn(here);
    await signIn(elsewhere);
    const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
    const start = await startAuthorization(config, 'https://web.acme.example/callback', 'openid offline_access');
    const callback = await signInThroughPages(new UserAgent(), start.url, 'https://web.acme.example/callback', email, password);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });

    const wrong = await here.submitFormTo(url, html, '/account/password', { current_password: 'not my password at all', new_password: 'a completely new passphrase' });
    expect(wrong.url).toMatch(/error=wrong_password$/);
    expect(await wrong.response.text()).toContain('The current password is not correct.');
    const weak = await here.submitFormTo(url, html, '/account/password', { current_password: password, new_password: 'short' });
    expect(await weak.response.text()).toContain('Use at least 12 characters.');

    const changed = await here.submitFormTo(url, html, '/account/password', { current_password: password, new_password: 'a completely new passphrase' });
    expect(changed.url).toMatch(/notice=password_changed$/);
    expect(await changed.response.text()).toContain('Every other session was signed out.');
    // This browser is still signed in (with a fresh session); the other one is not; the refresh token is dead.
    expect((await here.request(`${fx.issuer}/account`)).status).toBe(200);
    expect((await elsewhere.request(`${fx.issuer}/account`)).status).toBe(303);
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await mail.waitForMail(email, /password was changed/);
    expect((await signIn(new UserAgent(), 'a completely new passphrase')).url).toBe(`${fx.issuer}/account`);
  });

  it('a user without a password (federated) proves a recent sign-in instead: a stale session is refused, a fresh one sets a first password', async () => {
    await freshUser();
    const stale = new UserAgent({ 'user-agent': FIREFOX });
    const staleSignIn = await signIn(stale);
    // That sign-in was eleven minutes ago (the shared clock stays put: other tests' tokens live on it).
    await fx.api.database.query("update sessions set auth_time = auth_time - interval '11 minutes' where user_id = $1", [userId]);
    const fresh = new UserAgent({ 'user-agent': CHROME_MAC });
    const freshSignIn = await signIn(fresh);
    // As an account made by a federated sign-in is: no password at all.
    await fx.api.database.query('update users set password_hash = null where id = $1', [userId]);
    const accountUrl = `${fx.issuer}/account`;
    const staleHtml = await (await stale.request(accountUrl)).text();
    const freshHtml = await (await fresh.request(accountUrl)).text();
    expect(staleHtml).toContain('sign out and sign in again first');
    expect(freshHtml).toContain('you signed in within the last 10 minutes');
    expect(freshHtml).not.toContain('id="current_password"');
    expect(freshHtml).toContain('Set a password');

    // Eleven minutes after its sign-in, a session alone changes nothing.
    const refusedEmail = await stale.submitFormTo(staleSignIn.url, staleHtml, '/account/email', { new_email: `moved.${email}` });
    expect(refusedEmail.url).toMatch(/error=sign_in_again$/);
    expect(await refusedEmail.response.text()).toContain('this change needs a recent sign-in');
    const refusedPassword = await stale.submitFormTo(staleSignIn.url, staleHtml, '/account/password', { new_password: 'a password the thief chose' });
    expect(refusedPassword.url).toMatch(/error=sign_in_again$/);
    expect((await fx.api.database.query('select password_hash from users where id = $1', [userId])).rows).toEqual([{ password_hash: null }]);

    // A fresh one does, without a password to type; a too-short first password is refused as usual.
    const weak = await fresh.submitFormTo(freshSignIn.url, freshHtml, '/account/password', { new_password: 'short' });
    expect(await weak.response.text()).toContain('Use at least 12 characters.');
    const set = await fresh.submitFormTo(freshSignIn.url, freshHtml, '/account/password', { new_password: 'my first own passphrase' });
    expect(set.url).toMatch(/notice=password_set$/);
    const after = await set.response.text();
    expect(after).toContain('Your account has a password now.');
    // From now on the password is what proves it, and the stale browser was signed out with the change.
    expect(after).toContain('id="current_password"');
    expect((await stale.request(accountUrl)).status).toBe(303);
    expect((await signIn(new UserAgent(), 'my first own passphrase')).url).toBe(accountUrl);
    // The owner is told a way in was added, not that a password they never had was changed.
    const added = await mail.waitForMail(email, /A password was added to your Acme account/);
    expect(added.text).toContain('had no password. It has one now');
    expect((await mail.delivered()).filter((m) => m.to === email && /password was changed/.test(m.subject))).toEqual([]);
  });

  it('lists sessions and signs out another one, with its refresh tokens', async () => {
    await freshUser();
    const here = new UserAgent({ 'user-agent': FIREFOX });
    const elsewhere = new UserAgent({ 'user-agent': CHROME_MAC });
    await signIn(elsewhere);
    const { url, html } = await signIn(here);
    expect(html).toContain('Chrome on macOS');
    const other = /name="session_id" value="([^"]+)"/.exec(html)![1]!;
    const done = await here.submitFormTo(url, html, '/account/sessions/revoke', { session_id: other });
    expect(done.url).toMatch(/notice=session_ended$/);
    expect(await done.response.text()).not.toContain('Chrome on macOS');
    expect((await elsewhere.request(`${fx.issuer}/account`)).status).toBe(303);
    // A session of someone else cannot be ended from here.
    const again = await here.submitFormTo(url, html, '/account/sessions/revoke', { session_id: other });
    expect(again.url).toMatch(/error=unknown_session$/);
  });

  it('lists the newest 50 sessions and this browser’s own, and says when there are more', async () => {
    await freshUser();
    const here = new UserAgent({ 'user-agent': FIREFOX });
    const { html: before } = await signIn(here);
    expect(before).not.toContain('Only your most recent sign-ins are listed');
    // 60 newer sessions of the same user, as from 60 other sign-ins.
    const tenantId = (await fx.api.database.query<{ id: string }>(`select id from tenants where name = 'acme'`)).rows[0]!.id;
    const now = fx.api.ctx.clock();
    for (let i = 0; i < 60; i += 1) {
      await fx.api.database.query(`insert into sessions (tenant_id, user_id, token_hash, auth_time, amr, created_at, expires_at, user_agent) values ($1, $2, $3, $4, '{pwd}', $5, $6, $7)`, [
        tenantId,
        userId,
        Buffer.from(`other-${userId}-${i}`),
        now,
        new Date(now.getTime() + 1_000 + i),
        new Date(now.getTime() + 3_600_000),
        CHROME_MAC,
      ]);
    }
    const html = await (await here.request(`${fx.issuer}/account`)).text();
    const listed = html.match(/<li><span>/g) ?? [];
    const others = html.match(/name="session_id" value="/g) ?? [];
    expect(html).toContain('this browser');
    expect(others.length).toBe(49);
    expect(listed.length).toBeGreaterThanOrEqual(50);
    expect(html).toContain('Only your most recent sign-ins are listed');
  });

  it('shows connected apps and revokes one, which ends its refresh tokens', async () => {
    await freshUser();
    // acme-native is not first-party, so signing in asks for (and remembers) consent.
    const config = await discover(fx.issuer, 'acme-native');
    const start = await startAuthorization(config, 'http://127.0.0.1/callback', 'openid profile offline_access');
    const callback = await signInThroughPages(new UserAgent(), start.url, 'http://127.0.0.1/callback', email, password);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });

    const agent = new UserAgent();
    const { url, html } = await signIn(agent);
    expect(html).toContain('Acme Desktop');
    const revoked = await agent.submitFormTo(url, html, '/account/apps/revoke', {});
    expect(revoked.url).toMatch(/notice=app_revoked$/);
    expect(await revoked.response.text()).toContain('No app has access to your account.');
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    expect((await fx.admin.get(`/tenants/acme/users/${userId}/consents`)).json().items).toEqual([]);
  });

  it('changes the address only once the new one is confirmed, and tells the old one', async () => {
    await freshUser();
    const agent = new UserAgent();
    const { url, html } = await signIn(agent);
    const newEmail = `moved.${counter}.${Date.now()}@elsewhere.example`;
    const asked = await agent.submitFormTo(url, html, '/account/email', { new_email: newEmail, email_password: password });
    expect(asked.url).toMatch(/notice=email_sent$/);
    expect((await fx.admin.get(`/tenants/acme/users/${userId}`)).json().email).toBe(email);

    const link = mail.linkIn(await mail.waitForMail(newEmail, /Confirm your e-mail address/), `${fx.issuer}/email/confirm?token=`);
    const page = await agent.request(link);
    const done = await agent.submitForm(link, await page.text(), {});
    expect(done.url).toMatch(/\/email\/changed$/);
    expect((await fx.admin.get(`/tenants/acme/users/${userId}`)).json()).toMatchObject({ email: newEmail, emailVerified: true });
    const notice = await mail.waitForMail(email, /e-mail address of your Acme account was changed/);
    expect(notice.text).toContain('m***@elsewhere.example');
    expect(notice.text).not.toContain(newEmail);
    expect((await agent.request(link)).status).toBe(410);
  });

  it('needs the current password for an address change', async () => {
    await freshUser();
    const agent = new UserAgent();
    const { url, html } = await signIn(agent);
    const refused = await agent.submitFormTo(url, html, '/account/email', { new_email: 'x@elsewhere.example', email_password: 'wrong password entirely' });
    expect(refused.url).toMatch(/error=wrong_password$/);
  });

  it('refuses forms without the session-bound CSRF token, and forms of another session', async () => {
    await freshUser();
    const a = new UserAgent();
    const b = new UserAgent();
    const pageA = await signIn(a);
    await signIn(b);
    // b submits a's form (a's token): refused.
    const forged = await b.submitFormTo(pageA.url, pageA.html, '/account/profile', { name: 'Forged' });
    expect(forged.response.status).toBe(403);
    const none = await b.request(`${fx.issuer}/account/profile`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Forged' });
    expect(none.status).toBe(403);
    expect((await fx.admin.get(`/tenants/acme/users/${userId}`)).json().name).toBe('Original');
  });

  it('mails a new-device notice for a browser the user never used, but not for a known one or the first', async () => {
    await freshUser();
    const first = new UserAgent({ 'user-agent': FIREFOX });
    await signIn(first);
    // The same browser signing in again (its session cookie gone, its device cookie kept).
    first.deleteCookie('__Secure-lanyard_session');
    await signIn(first);
    const second = new UserAgent({ 'user-agent': CHROME_MAC, 'x-forwarded-for': '198.51.100.7' });
    await signIn(second);
    const notice = await mail.waitForMail(email, /New sign-in/);
    expect(notice.text).toContain('Chrome on macOS');
    // Nothing for the first browser, nor for its second sign-in: the one notice is the Chrome one.
    expect((await mail.delivered()).filter((m) => m.to === email && /New sign-in/.test(m.subject))).toHaveLength(1);
  });

  it('signs out from the account page, clearing the session cookie', async () => {
    await freshUser();
    const agent = new UserAgent();
    const { url, html } = await signIn(agent);
    const out = await agent.submitFormTo(url, html, '/account/logout', {});
    expect(out.url).toMatch(/\/account\/login\?notice=signed_out$/);
    expect(await out.response.text()).toContain('You are signed out.');
    expect((await agent.request(`${fx.issuer}/account`)).status).toBe(303);
  });

  it('every account page carries the hosted-page security headers', async () => {
    await freshUser();
    const agent = new UserAgent();
    await signIn(agent);
    for (const path of ['/account', '/account/login', '/signup', '/password/forgot', '/email/verify/resend', '/password/reset?token=x', '/invitation?token=x', '/email/confirm?token=x']) {
      const response = await (path === '/account' ? agent : new UserAgent()).request(`${fx.issuer}${path}`);
      expect(response.headers.get('content-security-policy'), path).toMatch(/default-src 'none'.*frame-ancestors 'none'/);
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
      expect(response.headers.get('cache-control'), path).toBe('no-store');
      expect(response.headers.get('referrer-policy'), path).toBe('no-referrer');
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });

  void PASSWORD;
});
