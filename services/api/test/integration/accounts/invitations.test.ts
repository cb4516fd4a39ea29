import { describe, expect, it } from 'vitest';
import { useAccountsFixture } from '../../support/accounts-fixture.js';
import type { MailPipeline } from '../../support/mail-pipeline.js';
import type { OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

describe('sign-up policies and invitations', () => {
  let fx: OAuthFixture;
  let mail: MailPipeline;
  useAccountsFixture({}, (f, m) => {
    fx = f;
    mail = m;
  });

  async function trySignup(email: string) {
    const agent = new UserAgent();
    const url = `${fx.issuer}/signup`;
    const page = await agent.request(url);
    const html = await page.text();
    // The form of an open tenant, or forged from an earlier one when the page refuses.
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(html)?.[1] ?? 'none';
    const post = await agent.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ csrf_token: csrf, email, password: 'a long and unusual phrase' }) });
    return { get: page.status, getHtml: html, post: post.status };
  }

  it.each([
    ['closed', 'created by an administrator'],
    ['invite-only', 'by invitation only'],
  ] as const)('%s refuses an open sign-up on GET and POST, creating nothing, and the sign-in page offers none', async (signup, words) => {
    await fx.admin.put('/tenants/acme', { displayName: 'Acme', accounts: { signup } });
    const result = await trySignup(`${signup}@acme.example`);
    expect(result.get).toBe(403);
    expect(result.getHtml).toContain(words);
    expect(result.post).toBe(403);
    expect((await fx.admin.get(`/tenants/acme/users?email=${signup}@acme.example`)).json().items).toEqual([]);
    const login = await new UserAgent().request(`${fx.issuer}/account/login`);
    expect(await login.text()).not.toContain('/signup');
  });

  it('the default policy is closed, and open shows the link on the sign-in page', async () => {
    await fx.admin.put('/tenants/acme', { displayName: 'Acme' });
    expect((await trySignup('default@acme.example')).get).toBe(403);
    await fx.admin.put('/tenants/acme', { displayName: 'Acme', accounts: { signup: 'open' } });
    expect(await (await new UserAgent().request(`${fx.issuer}/account/login`)).text()).toContain('href="/tenants/acme/signup"');
    const tenant = await fx.admin.get('/tenants/acme');
    expect(tenant.json().accounts).toEqual({ signup: 'open' });
  });

  it('an invitation creates a password-less account, mails its link, and the link sets the password and signs in', async () => {
    await fx.admin.put('/tenants/acme', { displayName: 'Acme', accounts: { signup: 'invite-only' } });
    const invited = await fx.admin.post('/tenants/acme/invitations', { email: 'Frank@Acme.Example', name: 'Frank', invitedBy: 'Alice' });
    expect(invited.statusCode).toBe(201);
    const body = invited.json();
    expect(body).toMatchObject({ tenant: 'acme', email: 'frank@acme.example', created: true });
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(fx.api.time.clock().getTime() + 6 * 86_400_000);
    const user = (await fx.admin.get(`/tenants/acme/users/${body.userId}`)).json();
    expect(user).toMatchObject({ hasPassword: false, emailVerified: false });

    const message = await mail.waitForMail('frank@acme.example', /invited to join Acme/);
    expect(message.text).toContain('Alice');
    const link = mail.linkIn(message, `${fx.issuer}/invitation?token=`);
    const agent = new UserAgent();
    const page = await agent.request(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('value="Frank"');
    const done = await agent.submitForm(link, html, { password: 'the invitation was accepted' });
    expect(done.url).toMatch(/\/tenants\/acme\/account\?notice=welcome$/);
    expect(await done.response.text()).toContain('Welcome! Your account is ready.');
    expect((await fx.admin.get(`/tenants/acme/users/${body.userId}`)).json()).toMatchObject({ hasPassword: true, emailVerified: true });

    expect((await agent.request(link)).status).toBe(410);
    // An address with a usable account cannot be invited again.
    expect((await fx.admin.post('/tenants/acme/invitations', { email: 'frank@acme.example' })).statusCode).toBe(409);
  });

  it('inviting again sends a new link, and the older one still works until one is used', async () => {
    const first = await fx.admin.post('/tenants/acme/invitations', { email: 'grace@acme.example' });
    const second = await fx.admin.post('/tenants/acme/invitations', { email: 'grace@acme.example' });
    expect(second.json()).toMatchObject({ userId: first.json().userId, created: false });
    const mails = (await mail.waitForMail('grace@acme.example', /invited/, { count: 2 }), (await mail.delivered()).filter((m) => m.to === 'grace@acme.example'));
    const [older, newer] = mails.map((m) => mail.linkIn(m, `${fx.issuer}/invitation?token=`));
    const agent = new UserAgent();
    const done = await agent.submitForm(older!, await (await agent.request(older!)).text(), { password: 'grace accepted the first' });
    expect(done.url).toMatch(/notice=welcome$/);
    expect((await agent.request(newer!)).status).toBe(410);
  });

  it('resends verification through the admin API, and refuses it for a verified address', async () => {
    // A sender name alone goes before the relay's own address.
    await fx.admin.put('/tenants/acme', { displayName: 'Acme', accounts: { signup: 'invite-only', emailFromName: 'Acme, "the" Accounts' } });
    const created = await fx.admin.post('/tenants/acme/users', { email: 'heidi@acme.example', password: 'heidi has a long password' });
    const resent = await fx.admin.post(`/tenants/acme/users/${created.json().id}/verification-email`, {});
    expect(resent.statusCode).toBe(202);
    expect(resent.json()).toEqual({ userId: created.json().id, email: 'heidi@acme.example', queued: true });
    const message = await mail.waitForMail('heidi@acme.example', /Confirm your e-mail address/);
    expect(message.from).toBe('"Acme, \\"the\\" Accounts" <no-reply@lanyard.test>');
    expect((await fx.admin.post(`/tenants/acme/users/${fx.userId}/verification-email`, {})).statusCode).toBe(409);
  });

  it('validates invitations like every admin body: problem details naming the field', async () => {
    for (const payload of [{ email: 'not-an-email' }, { email: 'x@acme.example', name: 'a\u0000b' }, { email: 'x@acme.example', extra: 1 }]) {
      const response = await fx.admin.post('/tenants/acme/invitations', payload);
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await fx.admin.post('/tenants/nope/invitations', { email: 'x@acme.example' })).statusCode).toBe(404);
  });
});
