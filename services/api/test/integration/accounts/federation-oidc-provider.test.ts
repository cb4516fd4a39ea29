import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusalRecorded, federationFailureCounts, federationFootprint, followRefresh, followUpstreamButton, localUsers, redeemAtApp, WEB_REDIRECT } from '../../support/federation-flow.js';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { startOidcProviderUpstream, type OidcProviderUpstream } from '../../support/oidc-provider-upstream.js';
import { UserAgent } from '../../support/user-agent.js';

type Linking = 'just-in-time' | 'verified-email' | 'existing-only';

/**
 * Sign-in through node-oidc-provider (npm `oidc-provider` 9.x) as the upstream: another
 * implementation than ours on the other side, with its own login page, cookies, PKCE enforcement,
 * RFC 9207 `iss` and claims released through userinfo. A full login ends with tokens from our
 * issuer for the right local user under each linking rule.
 */
describe('federation: node-oidc-provider as the upstream provider', () => {
  let fx: OAuthFixture;
  let op: OidcProviderUpstream;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    op = await startOidcProviderUpstream(`${fx.issuer}/federation/op/callback`);
  }, 120_000);
  afterAll(async () => {
    await op?.close();
    await fx?.close();
  });

  const useRule = async (linking: Linking) => {
    const put = await fx.admin.put('/tenants/acme/identity-providers/op', { displayName: 'Example OP', issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, linking });
    expect([200, 201], put.body).toContain(put.statusCode);
  };
  let counter = 0;
  const upstreamAccount = (emailVerified = true) => {
    counter += 1;
    const email = `op${counter}.${Date.now()}@op.example`;
    const subject = op.addAccount({ email, password: 'an upstream password', emailVerified, name: `Op Person ${counter}` });
    return { email, subject };
  };
  const linkOf = async (subject: string) => (await fx.api.database.query<{ user_id: string }>("select u.user_id from upstream_identities u join identity_providers p on p.id = u.provider_id where p.name = 'op' and u.subject = $1", [subject])).rows;

  /** Our app → "Sign in with Example OP" → oidc-provider's login page → back to us → the app. */
  async function signInThroughOp(agent: UserAgent, email: string) {
    const page = await followUpstreamButton(fx, agent, 'Example OP');
    expect(page.upstream.url.startsWith(`${op.issuer}/interaction/`), page.upstream.url).toBe(true);
    const back = await agent.submitForm(page.upstream.url, page.upstream.html, { email, password: 'an upstream password' }, WEB_REDIRECT);
    return { page, back: await followRefresh(back) };
  }

  it('just-in-time: creates the local user from the claims oidc-provider releases through userinfo, links it, and signs in as it again', async () => {
    await useRule('just-in-time');
    const { email, subject } = upstreamAccount();
    const userinfoBefore = op.userinfoRequests();
    const { page, back } = await signInThroughOp(new UserAgent(), email);
    expect(back.url.startsWith(WEB_REDIRECT), back.url).toBe(true);
    expect(op.userinfoRequests()).toBe(userinfoBefore + 1);
    const tokens = await redeemAtApp(page, back.url);
    const [local] = await localUsers(fx, email);
    expect(local).toMatchObject({ email, emailVerified: true, name: expect.stringMatching(/^Op Person /) });
    expect(tokens.claims()).toMatchObject({ iss: fx.issuer, sub: local!.id, amr: ['fed'], aud: 'acme-web' });
    expect(await linkOf(subject)).toEqual([{ user_id: local!.id }]);

    // A second sign-in in a new browser: the same user, no second account, the same one link.
    const again = await signInThroughOp(new UserAgent(), email);
    expect((await redeemAtApp(again.page, again.back.url)).claims()!.sub).toBe(local!.id);
    expect(await localUsers(fx, email)).toHaveLength(1);
    expect(await linkOf(subject)).toHaveLength(1);
  });

  it('verified-email: links the existing local account with that verified address, keeping its password', async () => {
    await useRule('verified-email');
    const { email, subject } = upstreamAccount();
    const localId = (await fx.admin.post('/tenants/acme/users', { email, password: 'a local password of theirs', emailVerified: true })).json().id as string;
    const { page, back } = await signInThroughOp(new UserAgent(), email);
    expect((await redeemAtApp(page, back.url)).claims()!.sub).toBe(localId);
    expect(await linkOf(subject)).toEqual([{ user_id: localId }]);
    expect((await fx.api.database.query('select 1 from users where id = $1 and password_hash is not null', [localId])).rowCount).toBe(1);
  });

  it('verified-email: an address oidc-provider says is unverified is refused, and nothing is written', async () => {
    await useRule('verified-email');
    const { email, subject } = upstreamAccount(false);
    await fx.admin.post('/tenants/acme/users', { email, emailVerified: true });
    const before = await federationFootprint(fx);
    const counts = await federationFailureCounts(fx);
    const agent = new UserAgent();
    const { back } = await signInThroughOp(agent, email);
    expect(back.response.status).toBe(403);
    expect(await back.response.text()).toContain('has not confirmed your email address');
    await expectRefusalRecorded(fx, 'email_not_verified', counts);
    expect(await federationFootprint(fx)).toEqual(before);
    expect(await linkOf(subject)).toEqual([]);
    expect(agent.cookie('__Secure-lanyard_session', '/tenants/acme')).toBeUndefined();
  });

  it('existing-only: an identity linked before signs in; an unknown one is refused with nothing written', async () => {
    await useRule('just-in-time');
    const known = upstreamAccount();
    const first = await signInThroughOp(new UserAgent(), known.email);
    const knownId = (await redeemAtApp(first.page, first.back.url)).claims()!.sub;

    await useRule('existing-only');
    const again = await signInThroughOp(new UserAgent(), known.email);
    expect((await redeemAtApp(again.page, again.back.url)).claims()!.sub).toBe(knownId);

    const stranger = upstreamAccount();
    const before = await federationFootprint(fx);
    const counts = await federationFailureCounts(fx);
    const agent = new UserAgent();
    const { back } = await signInThroughOp(agent, stranger.email);
    expect(back.response.status).toBe(403);
    expect(await back.response.text()).toContain('There is no account here for this identity');
    await expectRefusalRecorded(fx, 'unknown_user', counts);
    expect(await federationFootprint(fx)).toEqual(before);
    expect(await localUsers(fx, stranger.email)).toEqual([]);
  });
});
