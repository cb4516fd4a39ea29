import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followRefresh, followUpstreamButton, redeemAtApp, WEB_REDIRECT } from '../../support/federation-flow.js';
import { declareCorpProvider, startLanyardUpstream } from '../../support/lanyard-upstream.js';
import { PASSWORD, startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

/**
 * Admin identity links (docs/reference/admin-api.md#identity-links), with a second Lanyard tenant
 * (`corp`) as the real upstream: a link an admin made is what a federated sign-in finds, under a
 * provider whose rule (`existing-only`) lets nobody else in.
 */
describe('admin API: a user’s identities at upstream providers', () => {
  let fx: OAuthFixture;
  let counter = 0;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    const secret = await startLanyardUpstream(fx);
    expect([200, 201]).toContain(await declareCorpProvider(fx, secret, 'existing-only'));
  }, 120_000);
  afterAll(() => fx?.close());

  const links = (userId: string) => `/tenants/acme/users/${userId}/identity-links`;
  /** A person at corp (their `sub` there is their corp user id) and, separately, a local account here. */
  const people = async () => {
    counter += 1;
    const upstreamEmail = `person${counter}.${Date.now()}@corp.example`;
    const subject = (await fx.admin.post('/tenants/corp/users', { email: upstreamEmail, password: PASSWORD, emailVerified: true })).json().id as string;
    const localId = (await fx.admin.post('/tenants/acme/users', { email: `local${counter}.${Date.now()}@acme.example`, emailVerified: true })).json().id as string;
    return { upstreamEmail, subject, localId };
  };
  const signInThroughCorp = async (email: string) => {
    const agent = new UserAgent();
    const { config, start, upstream } = await followUpstreamButton(fx, agent, 'Corp');
    const back = await followRefresh(await agent.submitForm(upstream.url, upstream.html, { email, password: PASSWORD }, WEB_REDIRECT));
    return { agent, config, start, back };
  };
  const audited = async (event: string, userId: string) =>
    (await fx.api.ctx.audit.flush(), await fx.api.database.query<{ client_id: string | null }>('select client_id from audit_events where event = $1 and user_id = $2', [event, userId])).rows;

  it('a pre-linked subject signs in as that account, under a rule that lets nobody else in', async () => {
    const { upstreamEmail, subject, localId } = await people();
    const refused = await signInThroughCorp(upstreamEmail);
    expect(refused.back.response.status).toBe(403);
    expect((await fx.admin.get(links(localId))).json()).toEqual({ items: [] });

    const put = await fx.admin.put(`${links(localId)}/corp`, { subject });
    expect(put.statusCode).toBe(201);
    expect(put.json()).toEqual({ provider: 'corp', subject, createdAt: expect.any(String), lastSignInAt: null });
    expect((await fx.admin.get(`${links(localId)}/corp`)).json()).toEqual(put.json());
    const again = await fx.admin.put(`${links(localId)}/corp`, { subject });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(put.json());
    expect(await audited('identity_linked', localId)).toEqual([{ client_id: expect.any(String) }]);

    const { config, start, back } = await signInThroughCorp(upstreamEmail);
    expect(back.url.startsWith(WEB_REDIRECT), back.url).toBe(true);
    const tokens = await redeemAtApp({ config, start }, back.url);
    expect(tokens.claims()!.sub).toBe(localId);
    expect(tokens.claims()!.amr).toEqual(['fed']);
    const [listed] = (await fx.admin.get(links(localId))).json().items;
    expect(listed).toMatchObject({ provider: 'corp', subject });
    expect(Date.parse(listed.lastSignInAt)).toBeGreaterThanOrEqual(Date.parse(listed.createdAt));
  });

  it('one subject is one user, and one user has one subject per provider; parallel links for one user make one', async () => {
    const a = await people();
    const b = await people();
    expect((await fx.admin.put(`${links(a.localId)}/corp`, { subject: a.subject })).statusCode).toBe(201);
    const taken = await fx.admin.put(`${links(b.localId)}/corp`, { subject: a.subject });
    expect(taken.statusCode).toBe(409);
    expect(taken.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(taken.json().detail).toContain('linked to another user');
    const other = await fx.admin.put(`${links(a.localId)}/corp`, { subject: b.subject });
    expect(other.statusCode).toBe(409);
    expect(other.json().detail).toContain('already linked to "corp" as another subject');
    expect((await fx.admin.get(links(a.localId))).json().items.map((l: { subject: string }) => l.subject)).toEqual([a.subject]);
    expect((await fx.admin.get(links(b.localId))).json()).toEqual({ items: [] });

    const c = await people();
    const raced = await Promise.all(['first-subject', 'second-subject'].map((subject) => fx.admin.put(`${links(c.localId)}/corp`, { subject: `${subject}-${c.subject}` })));
    expect(raced.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect((await fx.admin.get(links(c.localId))).json().items).toHaveLength(1);
  });

  it('unlinking cuts that identity off, even when it was the only way in; a second unlink is 404', async () => {
    const { upstreamEmail, subject, localId } = await people();
    await fx.admin.put(`${links(localId)}/corp`, { subject });
    const removed = await fx.admin.delete(`${links(localId)}/corp`);
    expect(removed.statusCode).toBe(204);
    expect(await audited('identity_unlinked', localId)).toEqual([{ client_id: expect.any(String) }]);
    const { agent, back } = await signInThroughCorp(upstreamEmail);
    expect(back.response.status).toBe(403);
    expect(agent.cookie('__Secure-lanyard_session', '/tenants/acme')).toBeUndefined();
    expect((await fx.admin.get(`${links(localId)}/corp`)).statusCode).toBe(404);
    const twice = await fx.admin.delete(`${links(localId)}/corp`);
    expect(twice.statusCode).toBe(404);
    expect(twice.json().detail).toBe('The user is not linked to "corp".');
  });

  it('refuses a subject no sign-in could present, unknown providers and users of another tenant, as problem details', async () => {
    const { subject, localId } = await people();
    const refusals: Array<[string, unknown]> = [
      ['empty', { subject: '' }],
      ['NUL', { subject: 'a\u0000b' }],
      ['C1 control', { subject: 'a\u0085b' }],
      ['256 characters', { subject: 'x'.repeat(256) }],
      ['200 astral characters (400 UTF-16 units)', { subject: '\u{1F511}'.repeat(200) }],
      ['a lone surrogate', { subject: 'a\ud800b' }],
      ['not a string', { subject: 42 }],
      ['an unknown field', { subject, provider: 'corp' }],
      ['no subject', {}],
    ];
    for (const [what, body] of refusals) {
      const response = await fx.admin.put(`${links(localId)}/corp`, body);
      expect(response.statusCode, what).toBe(400);
      expect(response.headers['content-type'], what).toMatch(/^application\/problem\+json/);
      expect(JSON.stringify(response.json().invalidParams), what).toMatch(/body/);
    }
    expect((await fx.admin.get(links(localId))).json()).toEqual({ items: [] });
    // 255 units with odd but printable Unicode is a subject.
    expect((await fx.admin.put(`${links(localId)}/corp`, { subject: `Zürich\u202E${'é'.repeat(248)}` })).statusCode).toBe(201);

    expect((await fx.admin.put(`${links(localId)}/nobody`, { subject })).statusCode).toBe(404);
    expect((await fx.admin.put(`${links(localId)}/Corp`, { subject })).statusCode).toBe(400);
    const corpUser = (await fx.admin.post('/tenants/corp/users', { email: `elsewhere${Date.now()}@corp.example` })).json().id as string;
    expect((await fx.admin.get(links(corpUser))).statusCode).toBe(404);
    expect((await fx.admin.put(`${links(corpUser)}/corp`, { subject })).statusCode).toBe(404);
    expect((await fx.admin.get('/tenants/acme/users/not-a-uuid/identity-links')).statusCode).toBe(400);
  });
});
