import { describe, expect, it } from 'vitest';
import { useAccountsFixture } from '../../support/accounts-fixture.js';
import type { MailPipeline } from '../../support/mail-pipeline.js';
import type { OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

describe('lockout notices, resend verification, and the per-address email quota', () => {
  let fx: OAuthFixture;
  let mail: MailPipeline;
  useAccountsFixture({ env: { LOGIN_FAILURE_BURST: '100', LOGIN_LOCKOUT_FAILURES: '3', RATE_LIMIT_EMAILS_PER_ADDRESS_PER_HOUR: '2' } }, (f, m) => {
    fx = f;
    mail = m;
  });

  async function failSignIn(agent: UserAgent, email: string) {
    const url = `${fx.issuer}/account/login`;
    const page = await agent.request(url);
    const result = await agent.submitForm(url, await page.text(), { email, password: 'not the right password' });
    return result.response.status;
  }

  it('tells the owner once when failed sign-ins lock their account out of a network', async () => {
    const email = 'locked@acme.example';
    await fx.admin.post('/tenants/acme/users', { email, password: 'the owner knows this one', emailVerified: true });
    const attacker = new UserAgent();
    const statuses = [];
    for (let i = 0; i < 6; i += 1) statuses.push(await failSignIn(attacker, email));
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    const notice = await mail.waitForMail(email, /Sign-in to your Acme account is paused/);
    expect(notice.text).toContain(`${fx.issuer}/password/forgot`);
    // Three refused attempts, one notice.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await mail.delivered()).filter((m) => m.to === email && /paused/.test(m.subject))).toHaveLength(1);
  });

  it('resend answers the same whatever the address, and mails only an unverified account', async () => {
    const unverified = 'unverified@acme.example';
    await fx.admin.post('/tenants/acme/users', { email: unverified, password: 'an unverified password' });
    const answer = async (email: string) => {
      const agent = new UserAgent();
      const url = `${fx.issuer}/email/verify/resend`;
      const result = await agent.submitForm(url, await (await agent.request(url)).text(), { email });
      return { status: result.response.status, url: result.url, body: await result.response.text() };
    };
    const forUnverified = await answer(unverified);
    const forVerified = await answer(fx.email);
    const forNobody = await answer('nobody@acme.example');
    expect(forVerified).toEqual(forUnverified);
    expect(forNobody).toEqual(forUnverified);
    await mail.waitForMail(unverified, /Confirm your e-mail address/);
    const recipients = (await mail.delivered()).map((m) => m.to);
    expect(recipients).not.toContain('nobody@acme.example');
    expect((await mail.delivered()).filter((m) => m.to === fx.email && /Confirm/.test(m.subject))).toEqual([]);
  });

  it('sends at most the quota of one template to one address per hour; the requests still succeed', async () => {
    const email = 'quota@acme.example';
    await fx.admin.post('/tenants/acme/users', { email, password: 'a password for the quota' });
    for (let i = 0; i < 4; i += 1) {
      const agent = new UserAgent();
      const url = `${fx.issuer}/password/forgot`;
      const result = await agent.submitForm(url, await (await agent.request(url)).text(), { email });
      expect(result.url).toMatch(/\/password\/forgot\/sent$/);
    }
    await mail.waitForMail(email, /Reset/, { count: 2 });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect((await mail.delivered()).filter((m) => m.to === email)).toHaveLength(2);
    expect(fx.api.logs.filter((l) => l.event === 'email_suppressed' && l.template === 'password_reset')).toHaveLength(2);
  });
});
