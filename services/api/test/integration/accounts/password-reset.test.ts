import * as oidc from 'openid-client';
import { describe, expect, it } from 'vitest';
import { useAccountsFixture } from '../../support/accounts-fixture.js';
import type { MailPipeline } from '../../support/mail-pipeline.js';
import { discover, PASSWORD, SPA_REDIRECT, signInThroughPages, startAuthorization, type OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

const NEW_PASSWORD = 'seven ravens over the mill';

describe('forgotten password', () => {
  let fx: OAuthFixture;
  let mail: MailPipeline;
  useAccountsFixture({}, (f, m) => {
    fx = f;
    mail = m;
  });

  const resetMails = async () => (await mail.delivered()).filter((m) => m.to === fx.email && /reset/i.test(m.subject)).length;

  async function requestReset(agent: UserAgent, email: string) {
    const url = `${fx.issuer}/password/forgot`;
    const page = await agent.request(url);
    return agent.submitForm(url, await page.text(), { email });
  }

  async function signedInRefreshToken(): Promise<{ config: oidc.Configuration; refreshToken: string }> {
    const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
    const redirect = 'https://web.acme.example/callback';
    const start = await startAuthorization(config, redirect, 'openid email offline_access');
    const callback = await signInThroughPages(new UserAgent(), start.url, redirect, fx.email);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: start.verifier, expectedState: start.state, expectedNonce: start.nonce });
    return { config, refreshToken: tokens.refresh_token! };
  }

  it('mails a link whose new password works; the old one and every refresh token stop working', async () => {
    const before = await signedInRefreshToken();
    const agent = new UserAgent();
    const sent = await requestReset(agent, fx.email);
    expect(sent.url).toMatch(/\/password\/forgot\/sent$/);

    const message = await mail.waitForMail(fx.email, /password/i);
    const link = mail.linkIn(message, `${fx.issuer}/password/reset?token=`);
    const page = await agent.request(link);
    expect(page.status).toBe(200);
    const done = await agent.submitForm(link, await page.text(), { password: NEW_PASSWORD });
    expect(done.url).toMatch(/\/account\/login\?notice=password_reset$/);

    await expect(oidc.refreshTokenGrant(before.config, before.refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });
    await mail.waitForMail(fx.email, /password (of|for) your .* was changed|password was changed|changed/i);

    const config = await discover(fx.issuer, 'acme-spa');
    const oldTry = await startAuthorization(config, SPA_REDIRECT);
    await expect(signInThroughPages(new UserAgent(), oldTry.url, SPA_REDIRECT, fx.email, PASSWORD)).rejects.toThrow(/did not reach|unexpected page/);
    const newTry = await startAuthorization(config, SPA_REDIRECT);
    const callback = await signInThroughPages(new UserAgent(), newTry.url, SPA_REDIRECT, fx.email, NEW_PASSWORD);
    expect(callback.searchParams.get('code')).toBeTruthy();

    // Reused: the same link, and the form it showed, are refused with a clear page.
    const reused = await agent.request(link);
    expect(reused.status).toBe(410);
    expect(await reused.text()).toContain('This link has already been used.');
    await fx.admin.patch(`/tenants/acme/users/${fx.userId}`, { password: PASSWORD });
  });

  it('a reset for an account without a password (federated, invited) mails "a password was added", not "changed"', async () => {
    const email = `no-password.${Date.now()}@acme.example`;
    await fx.admin.post('/tenants/acme/users', { email, emailVerified: true });
    const agent = new UserAgent();
    await requestReset(agent, email);
    const link = mail.linkIn(await mail.waitForMail(email, /reset/i), `${fx.issuer}/password/reset?token=`);
    const done = await agent.submitForm(link, await (await agent.request(link)).text(), { password: NEW_PASSWORD });
    expect(done.url).toMatch(/\/account\/login\?notice=password_reset$/);
    await mail.waitForMail(email, /A password was added to your Acme account/);
    expect((await mail.delivered()).filter((m) => m.to === email && /was changed/.test(m.subject))).toEqual([]);
  });

  it('refuses an expired link, and a link of another purpose or tenant', async () => {
    const agent = new UserAgent();
    const before = await resetMails();
    await requestReset(agent, fx.email);
    const link = mail.linkIn(await mail.waitForMail(fx.email, /reset/i, { count: before + 1 }), `${fx.issuer}/password/reset?token=`);
    const token = new URL(link).searchParams.get('token')!;

    // Another tenant does not know it; another purpose does not accept it.
    expect((await agent.request(`${fx.api.baseUrl}/tenants/globex/password/reset?token=${token}`)).status).toBe(400);
    expect((await agent.request(`${fx.issuer}/email/verify?token=${token}`)).status).toBe(400);
    expect((await agent.request(`${fx.issuer}/password/reset?token=${token}x`)).status).toBe(400);

    const page = await agent.request(link);
    const form = await page.text();
    fx.api.time.advance((fx.api.config.PASSWORD_RESET_TTL_SECONDS + 1) * 1000);
    const expired = await agent.request(link);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain('This link has expired.');
    expect((await agent.submitForm(link, form, { password: NEW_PASSWORD })).response.status).toBe(410);
  });

  it('answers the same for a registered and an unknown address, and mails only the registered one', async () => {
    const before = await resetMails();
    const known = await requestReset(new UserAgent(), fx.email);
    const unknown = await requestReset(new UserAgent(), 'nobody@acme.example');
    expect(unknown.response.status).toBe(known.response.status);
    expect(unknown.url).toBe(known.url);
    expect(await unknown.response.text()).toBe(await known.response.text());
    // Give the worker time to deliver anything it was given, then check nothing went to the stranger.
    await mail.waitForMail(fx.email, /reset/i, { count: before + 1 });
    expect((await mail.delivered()).some((m) => m.to === 'nobody@acme.example')).toBe(false);
  });

  it('keeps a weak new password from being set and leaves the link usable', async () => {
    const agent = new UserAgent();
    const before = await resetMails();
    await requestReset(agent, fx.email);
    const link = mail.linkIn(await mail.waitForMail(fx.email, /reset/i, { count: before + 1 }), `${fx.issuer}/password/reset?token=`);
    const page = await agent.request(link);
    const weak = await agent.submitForm(link, await page.text(), { password: 'password1234' });
    expect(weak.response.status).toBe(422);
    const html = await weak.response.text();
    expect(html).toContain('too common');
    const ok = await agent.submitForm(link, html, { password: NEW_PASSWORD });
    expect(ok.url).toMatch(/notice=password_reset$/);
    await fx.admin.patch(`/tenants/acme/users/${fx.userId}`, { password: PASSWORD });
  });
});
