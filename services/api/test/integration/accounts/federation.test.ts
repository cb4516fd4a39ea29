import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusalRecorded, federationFailureCounts, federationFootprint, followRefresh, followUpstreamButton, localUsers, redeemAtApp, WEB_REDIRECT } from '../../support/federation-flow.js';
import { discover, PASSWORD, startAuthorization, startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { declareCorpProvider, startLanyardUpstream } from '../../support/lanyard-upstream.js';
import { UserAgent } from '../../support/user-agent.js';

/**
 * Sign-in through an upstream OpenID Connect provider, with a second Lanyard tenant (`corp`, on
 * the same server) as the upstream: its own hosted login, its own tokens, redeemed server to server
 * by openid-client. A full login ends with tokens from our issuer for the right local user under
 * each linking rule; every refusal leaves no session, user or link.
 */
describe('federation: a second Lanyard tenant as the upstream provider', () => {
  let fx: OAuthFixture;
  let upstreamSecret: string;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    // The upstream lets unverified addresses sign in, so its `email_verified: false` reaches us.
    upstreamSecret = await startLanyardUpstream(fx, { requireVerifiedEmail: false });
    await useRule('just-in-time');
  }, 120_000);
  afterAll(() => fx?.close());

  const useRule = async (linking: 'just-in-time' | 'verified-email' | 'existing-only') => {
    expect([200, 201]).toContain(await declareCorpProvider(fx, upstreamSecret, linking));
  };
  let counter = 0;
  const upstreamUser = async (verified = true) => {
    counter += 1;
    const email = `fed${counter}.${Date.now()}@corp.example`;
    await fx.admin.post('/tenants/corp/users', { email, password: PASSWORD, emailVerified: verified, name: `Fed ${counter}` });
    return email;
  };
  const links = async () => Number((await fx.api.database.query<{ n: string }>('select count(*) as n from upstream_identities')).rows[0]!.n);

  /** Our app's authorization request → "Sign in with Corp" → Corp's login page. */
  async function toUpstreamLogin(agent: UserAgent) {
    const page = await followUpstreamButton(fx, agent, 'Corp');
    expect(page.upstream.url).toContain('/tenants/corp/login?interaction=');
    return page;
  }

  async function signInUpstream(agent: UserAgent, email: string) {
    const { config, start, upstream } = await toUpstreamLogin(agent);
    const back = await agent.submitForm(upstream.url, upstream.html, { email, password: PASSWORD }, WEB_REDIRECT);
    return { config, start, back: await followRefresh(back) };
  }

  it('just-in-time: a first sign-in creates the local user and links it; the next one signs in as the same user', async () => {
    await useRule('just-in-time');
    const email = await upstreamUser();
    const agent = new UserAgent();
    const { config, start, back } = await signInUpstream(agent, email);
    expect(back.url.startsWith(WEB_REDIRECT), back.url).toBe(true);
    const tokens = await redeemAtApp({ config, start }, back.url);
    const claims = tokens.claims()!;
    const [local] = await localUsers(fx, email);
    expect(local).toBeDefined();
    expect(claims.sub).toBe(local!.id);
    expect(claims.iss).toBe(fx.issuer);
    expect(claims.amr).toEqual(['fed']);
    expect((await fx.admin.get(`/tenants/acme/users/${local!.id}`)).json()).toMatchObject({ email, emailVerified: true, name: expect.stringMatching(/^Fed /) });

    const again = await signInUpstream(new UserAgent(), email);
    const second = await redeemAtApp(again, again.back.url);
    expect(second.claims()!.sub).toBe(local!.id);
    expect(await localUsers(fx, email)).toHaveLength(1);
  });

  it('verified-email: links an existing local account with the same verified address; an unverified upstream address is refused', async () => {
    await useRule('verified-email');
    const email = await upstreamUser();
    const localId = (await fx.admin.post('/tenants/acme/users', { email, emailVerified: true })).json().id;
    const { config, start, back } = await signInUpstream(new UserAgent(), email);
    const tokens = await redeemAtApp({ config, start }, back.url);
    expect(tokens.claims()!.sub).toBe(localId);

    const unverified = await upstreamUser(false);
    await fx.admin.post('/tenants/acme/users', { email: unverified, emailVerified: true });
    const before = await links();
    const agent = new UserAgent();
    const refused = await signInUpstream(agent, unverified);
    expect(refused.back.response.status).toBe(403);
    expect(await refused.back.response.text()).toContain('has not confirmed your email address');
    expect(agent.cookie('__Secure-lanyard_session', '/tenants/acme')).toBeUndefined();
    expect(await links()).toBe(before);
  });

  it('verified-email and existing-only: an unknown person is refused, and no user or link is created', async () => {
    for (const rule of ['verified-email', 'existing-only'] as const) {
      await useRule(rule);
      const email = await upstreamUser();
      const before = await links();
      const agent = new UserAgent();
      const { back } = await signInUpstream(agent, email);
      expect(back.response.status).toBe(403);
      expect(await back.response.text()).toContain('There is no account here for this identity');
      expect(await localUsers(fx, email)).toEqual([]);
      expect(await links()).toBe(before);
      expect(agent.cookie('__Secure-lanyard_session', '/tenants/acme')).toBeUndefined();
    }
  });

  /** The account page's "Sign in with Corp" → Corp's login → back on our account page. */
  async function accountViaUpstream(agent: UserAgent, email: string) {
    const login = await agent.request(`${fx.issuer}/account/login`);
    const href = /<a class="button secondary" href="([^"]+)">Sign in with Corp<\/a>/.exec(await login.text())?.[1];
    const upstream = await agent.navigate(new URL(href!, fx.issuer).toString());
    const back = await agent.submitForm(upstream.url, await upstream.response.text(), { email, password: PASSWORD });
    return { url: back.url, html: await back.response.text() };
  }

  it('an address recycled at the upstream does not inherit the account its old owner linked; an admin can relink it', async () => {
    await useRule('just-in-time');
    const email = await upstreamUser();
    const first = await signInUpstream(new UserAgent(), email);
    const owner = (await redeemAtApp(first, first.back.url)).claims()!.sub;
    // The person leaves Corp; a newcomer there is given the same, verified, address.
    const corpUsers = await fx.api.database.query<{ id: string }>(`select u.id from users u join tenants t on t.id = u.tenant_id where t.name = 'corp' and u.email = $1`, [email]);
    expect((await fx.admin.delete(`/tenants/corp/users/${corpUsers.rows[0]!.id}`)).statusCode).toBe(204);
    const newcomer = (await fx.admin.post('/tenants/corp/users', { email, password: PASSWORD, emailVerified: true })).json().id as string;

    for (const rule of ['just-in-time', 'verified-email'] as const) {
      await useRule(rule);
      const before = await links();
      const agent = new UserAgent();
      const { back } = await signInUpstream(agent, email);
      expect(back.response.status, rule).toBe(403);
      expect(await back.response.text()).toContain('There is no account here for this identity');
      expect(await links()).toBe(before);
      expect(agent.cookie('__Secure-lanyard_session', '/tenants/acme')).toBeUndefined();
    }
    expect((await fx.admin.get(`/tenants/acme/users/${owner}/identity-links`)).json().items).toHaveLength(1);

    // If the newcomer is the same person after all, an admin moves the link.
    expect((await fx.admin.delete(`/tenants/acme/users/${owner}/identity-links/corp`)).statusCode).toBe(204);
    expect((await fx.admin.put(`/tenants/acme/users/${owner}/identity-links/corp`, { subject: newcomer })).statusCode).toBe(201);
    const relinked = await signInUpstream(new UserAgent(), email);
    expect((await redeemAtApp(relinked, relinked.back.url)).claims()!.sub).toBe(owner);
  });

  /** Ages the person's sessions in one tenant (their Corp SSO session, or ours) as time would. */
  const ageSessions = (tenant: 'corp' | 'acme', email: string, interval: string) =>
    fx.api.database.query(`update sessions s set auth_time = auth_time - $3::interval from users u, tenants t where u.id = s.user_id and t.id = u.tenant_id and t.name = $1 and u.email = $2`, [tenant, email, interval]);
  /** Ends the person's sessions here (as signing out would), so the next request goes upstream again. */
  const endOurSessions = (email: string) =>
    fx.api.database.query(`update sessions s set revoked_at = now() from users u, tenants t where u.id = s.user_id and t.id = u.tenant_id and t.name = 'acme' and u.email = $1`, [email]);
  const ourIdToken = async (page: { config: Parameters<typeof redeemAtApp>[0]['config']; start: Parameters<typeof redeemAtApp>[0]['start'] }, html: string) => {
    const target = /<meta http-equiv="refresh" content="0; url=([^"]+)">/.exec(html)?.[1];
    expect(target, html).toBeDefined();
    return (await redeemAtApp(page, target!.replace(/&amp;/g, '&'))).claims()!;
  };

  it('an upstream SSO session is as old as the upstream says: its auth_time is ours, and an app’s max_age and prompt=login make it ask again', async () => {
    await useRule('just-in-time');
    const email = await upstreamUser();
    const agent = new UserAgent();
    const first = await signInUpstream(agent, email);
    await redeemAtApp(first, first.back.url);
    // The person signed in at Corp two hours ago; our sign-in just now rode on that session.
    await ageSessions('corp', email, '2 hours');
    await endOurSessions(email);
    const silent = await followUpstreamButton(fx, agent, 'Corp');
    const silentClaims = await ourIdToken(silent, silent.upstream.html);
    expect(Number(silentClaims.auth_time)).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) - 7_000);
    // So the account page does not take that sign-in as a recent one (the user has no password).
    expect(await (await agent.request(`${fx.issuer}/account`)).text()).toContain('sign out and sign in again first');

    // An app asking for an authentication at most 10 minutes old: Corp asks for the password again.
    await endOurSessions(email);
    const strict = await followUpstreamButton(fx, agent, 'Corp', undefined, { max_age: '600' });
    expect(strict.upstream.url).toContain('/tenants/corp/login?interaction=');
    const back = await followRefresh(await agent.submitForm(strict.upstream.url, strict.upstream.html, { email, password: PASSWORD }, WEB_REDIRECT));
    expect(Number((await redeemAtApp(strict, back.url)).claims()!.auth_time)).toBeGreaterThan(Math.floor(Date.now() / 1000) - 60);

    // prompt=login goes upstream too, though Corp's session is a second old.
    await endOurSessions(email);
    const forced = await followUpstreamButton(fx, agent, 'Corp', undefined, { prompt: 'login' });
    expect(forced.upstream.url).toContain('/tenants/corp/login?interaction=');
  });

  it('the account page’s own sign-in asks the upstream for one at most 10 minutes old, so “sign in again” means it', async () => {
    await useRule('just-in-time');
    const email = await upstreamUser();
    const agent = new UserAgent();
    expect((await accountViaUpstream(agent, email)).html).toContain('you signed in within the last 10 minutes');
    await ageSessions('corp', email, '11 minutes');
    await ageSessions('acme', email, '11 minutes');
    expect(await (await agent.request(`${fx.issuer}/account`)).text()).toContain('sign out and sign in again first');
    // Signing in again goes through Corp's login page (accountViaUpstream types the password there),
    // not through its eleven-minute-old session.
    await endOurSessions(email);
    const again = await accountViaUpstream(agent, email);
    expect(again.url).toBe(`${fx.issuer}/account`);
    expect(again.html).toContain('you signed in within the last 10 minutes');
  });

  it('the account page lists linked providers and unlinks one only while another way to sign in remains', async () => {
    await useRule('just-in-time');
    const onlyFederated = await upstreamUser();
    const agent = new UserAgent();
    const page = await accountViaUpstream(agent, onlyFederated);
    expect(page.url).toBe(`${fx.issuer}/account`);
    expect(page.html).toContain('Linked sign-in providers');
    const refused = await agent.submitFormTo(page.url, page.html, '/account/providers/unlink', {});
    expect(refused.url).toBe(`${fx.issuer}/account?error=last_way_in`);
    const [local] = await localUsers(fx, onlyFederated);
    expect((await fx.api.database.query('select 1 from upstream_identities where user_id = $1', [local!.id])).rowCount).toBe(1);
    // Having no password, the user proves a sign-in just now instead, and sets one: another way in.
    expect(page.html).toContain('you signed in within the last 10 minutes');
    const set = await agent.submitFormTo(page.url, page.html, '/account/password', { new_password: 'a first password of my own' });
    expect(set.url).toBe(`${fx.issuer}/account?notice=password_set`);
    const withOwnPassword = await set.response.text();
    expect(withOwnPassword).toContain('id="current_password"');
    expect((await agent.submitFormTo(set.url, withOwnPassword, '/account/providers/unlink', {})).url).toBe(`${fx.issuer}/account?notice=provider_unlinked`);

    await useRule('verified-email');
    const withPassword = await upstreamUser();
    await fx.admin.post('/tenants/acme/users', { email: withPassword, password: 'a local password of their own', emailVerified: true });
    const other = new UserAgent();
    const second = await accountViaUpstream(other, withPassword);
    const unlinked = await other.submitFormTo(second.url, second.html, '/account/providers/unlink', {});
    expect(unlinked.url).toBe(`${fx.issuer}/account?notice=provider_unlinked`);
    expect(await unlinked.response.text()).not.toContain('Linked sign-in providers');
    const [user] = await localUsers(fx, withPassword);
    expect((await fx.api.database.query('select 1 from upstream_identities where user_id = $1', [user!.id])).rowCount).toBe(0);
  });

  describe('the callback refuses', () => {
    /** Starts a sign-in and stops at the upstream's redirect back to us, without following it. */
    async function callbackUrl(agent: UserAgent, email: string): Promise<URL> {
      await useRule('just-in-time');
      const { upstream } = await toUpstreamLogin(agent);
      const back = await agent.submitForm(upstream.url, upstream.html, { email, password: PASSWORD }, `${fx.issuer}/federation/`);
      expect(back.url).toContain('/federation/corp/callback?');
      return new URL(back.url);
    }
    const expectRefused = async (agent: UserAgent, url: string, status: number, reason: string) => {
      const before = await federationFootprint(fx);
      const counts = await federationFailureCounts(fx);
      const response = await agent.request(url);
      expect(response.status).toBe(status);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(agent.cookie('__Secure-lanyard_session', '/tenants/acme')).toBeUndefined();
      expect(await federationFootprint(fx)).toEqual(before);
      await expectRefusalRecorded(fx, reason, counts);
      return response;
    };

    it('a mismatched state', async () => {
      const agent = new UserAgent();
      const url = await callbackUrl(agent, await upstreamUser());
      url.searchParams.set('state', 'not-the-state');
      await expectRefused(agent, url.toString(), 400, 'state_invalid');
    });

    it('a missing state', async () => {
      const agent = new UserAgent();
      const url = await callbackUrl(agent, await upstreamUser());
      url.searchParams.delete('state');
      await expectRefused(agent, url.toString(), 400, 'state_invalid');
    });

    it('a callback from another browser (no transaction cookie)', async () => {
      const url = await callbackUrl(new UserAgent(), await upstreamUser());
      await expectRefused(new UserAgent(), url.toString(), 400, 'state_invalid');
    });

    it('a replayed callback: the transaction is single use', async () => {
      const agent = new UserAgent();
      const url = await callbackUrl(agent, await upstreamUser());
      const cookie = agent.cookie('__Secure-lanyard_federation', '/tenants/acme/federation')!;
      const first = await agent.request(url.toString());
      expect(first.status).toBe(200);
      expect(await first.text()).toContain('Signing you in');
      const replay = new UserAgent();
      replay.setCookie('__Secure-lanyard_federation', cookie, '/tenants/acme/federation');
      await expectRefused(replay, url.toString(), 400, 'state_invalid');
    });

    it('an expired transaction', async () => {
      const agent = new UserAgent();
      const url = await callbackUrl(agent, await upstreamUser());
      await fx.api.ctx.redis.eval("for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) end", 0, `${fx.api.config.REDIS_KEY_PREFIX}federation:*`);
      await expectRefused(agent, url.toString(), 400, 'state_invalid');
    });

    it('an upstream error response', async () => {
      const agent = new UserAgent();
      const url = await callbackUrl(agent, await upstreamUser());
      const error = new URL(url.toString().split('?')[0]!);
      error.searchParams.set('error', 'access_denied');
      error.searchParams.set('error_description', '<script>alert(1)</script>');
      error.searchParams.set('state', url.searchParams.get('state')!);
      error.searchParams.set('iss', url.searchParams.get('iss')!);
      const response = await expectRefused(agent, error.toString(), 400, 'upstream_error');
      expect(await response.text()).not.toContain('<script>');
    });

    it('a wrong iss (RFC 9207), which the upstream advertises', async () => {
      const agent = new UserAgent();
      const url = await callbackUrl(agent, await upstreamUser());
      url.searchParams.set('iss', `${fx.api.baseUrl}/tenants/globex`);
      await expectRefused(agent, url.toString(), 400, 'invalid_id_token');
    });

    it('a wrong nonce: the ID token answers a nonce other than the one this sign-in made', async () => {
      await useRule('just-in-time');
      const email = await upstreamUser();
      const agent = new UserAgent();
      const config = await discover(fx.issuer, 'acme-web', fx.webSecret);
      const start = await startAuthorization(config, WEB_REDIRECT, 'openid email');
      const login = await agent.navigate(start.url.toString(), {}, WEB_REDIRECT);
      const href = /<a class="button secondary" href="([^"]+)">Sign in with Corp<\/a>/.exec(await login.response.text())![1]!.replace(/&amp;/g, '&');
      // Stop at the redirect to the upstream and swap the nonce, as an attacker in the middle would.
      const toUpstream = await agent.navigate(new URL(href, login.url).toString(), {}, `${fx.api.baseUrl}/tenants/corp/oauth2/authorize`);
      const forged = new URL(toUpstream.url);
      forged.searchParams.set('nonce', 'a-nonce-of-the-attacker');
      const upstreamLogin = await agent.navigate(forged.toString());
      const back = await agent.submitForm(upstreamLogin.url, await upstreamLogin.response.text(), { email, password: PASSWORD }, `${fx.issuer}/federation/`);
      await expectRefused(agent, back.url, 400, 'invalid_id_token');
      const refusal = fx.api.logs.filter((l) => l.msg === 'federated sign-in refused').at(-1);
      expect(String(refusal?.detail)).toMatch(/nonce/);
    });

    it('a missing iss, which the upstream advertises', async () => {
      const agent = new UserAgent();
      const url = await callbackUrl(agent, await upstreamUser());
      url.searchParams.delete('iss');
      await expectRefused(agent, url.toString(), 400, 'invalid_id_token');
    });
  });

  it('an unreachable upstream: an error page, no 5xx, no hang', async () => {
    await fx.admin.put('/tenants/acme/identity-providers/gone', { displayName: 'Gone', issuer: 'http://127.0.0.1:9/tenants/none', clientId: 'x', linking: 'existing-only' });
    const response = await new UserAgent().request(`${fx.issuer}/federation/gone/start`);
    expect(response.status).toBe(424);
    expect(await response.text()).toContain('cannot be reached right now');
    expect((await fx.admin.delete('/tenants/acme/identity-providers/gone')).statusCode).toBe(204);
  });

  it('the admin API never returns the client secret, only its fingerprint', async () => {
    const resource = (await fx.admin.get('/tenants/acme/identity-providers/corp')).json();
    expect(JSON.stringify(resource)).not.toContain(upstreamSecret);
    expect(resource.clientSecretFingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(resource.callbackUrl).toBe(`${fx.issuer}/federation/corp/callback`);
    expect(resource.scopes).toEqual(['openid', 'email', 'profile']);
  });
});
