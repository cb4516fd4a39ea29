import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { federationFootprint, followRefresh, followUpstreamButton, federationFailureCounts, expectRefusalRecorded, redeemAtApp, WEB_REDIRECT } from '../../support/federation-flow.js';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { startScriptedUpstream, type IdTokenDefect, type ScriptedUpstream } from '../../support/scripted-upstream.js';
import { UserAgent } from '../../support/user-agent.js';

/**
 * What our callback does with an upstream that misbehaves: ID tokens for another issuer or
 * audience, expired, signed by a key it never published, or without our nonce; a token endpoint
 * that does not answer; and keys that change. The upstream is a small scripted provider
 * (support/scripted-upstream.ts) that is strict about its own side (PKCE, exact redirect URI).
 */
describe('federation: the ID token checks against a hostile upstream', () => {
  let fx: OAuthFixture;
  let upstream: ScriptedUpstream;
  let counter = 0;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    upstream = await startScriptedUpstream(`${fx.issuer}/federation/scripted/callback`);
    const put = await fx.admin.put('/tenants/acme/identity-providers/scripted', { displayName: 'Scripted', issuer: upstream.issuer, clientId: upstream.clientId, clientSecret: upstream.clientSecret, linking: 'just-in-time' });
    expect(put.statusCode, put.body).toBe(201);
  }, 120_000);
  afterEach(() => {
    upstream.defect = 'none';
    upstream.tokenDelayMs = 0;
    upstream.authTime = undefined;
    vi.useRealTimers();
  });
  afterAll(async () => {
    await upstream?.close();
    await fx?.close();
  });

  const newPerson = () => {
    counter += 1;
    upstream.person = { sub: `scripted-${counter}-${Date.now()}`, email: `scripted${counter}.${Date.now()}@upstream.example`, emailVerified: true };
    return upstream.person;
  };
  /** The app → the upstream button → (the upstream approves at once) → our callback → its answer. */
  const signIn = async (agent = new UserAgent(), extra: Record<string, string> = {}) => {
    const page = await followUpstreamButton(fx, agent, 'Scripted', `${fx.issuer}/federation/scripted/callback`, extra);
    const callback = await agent.navigate(page.upstream.url, {}, WEB_REDIRECT);
    return { page, agent, answer: await followRefresh(callback) };
  };
  const signsIn = async () => {
    const { page, answer } = await signIn();
    expect(answer.url.startsWith(WEB_REDIRECT), `${answer.response.status} ${answer.url}`).toBe(true);
    return (await redeemAtApp(page, answer.url)).claims()!;
  };

  it('a well-formed answer signs in (PKCE verified by the upstream), so each refusal below is about its defect', async () => {
    const person = newPerson();
    const verified = upstream.fetched.pkceVerified;
    const claims = await signsIn();
    expect(upstream.fetched.pkceVerified).toBe(verified + 1);
    expect(claims).toMatchObject({ iss: fx.issuer, amr: ['fed'] });
    expect((await fx.admin.get(`/tenants/acme/users/${String(claims.sub)}`)).json()).toMatchObject({ email: person.email, emailVerified: true });
  });

  const refusals: Array<[IdTokenDefect, RegExp]> = [
    ['wrong-issuer', /"iss"/],
    ['wrong-audience', /"aud"/],
    ['expired', /"exp"/],
    ['unpublished-key', /key/i],
    ['no-nonce', /"nonce"/],
  ];
  it.each(refusals)('refuses an ID token with defect %s: 400 invalid_id_token, and no session, user or link', async (defect, finding) => {
    newPerson();
    upstream.defect = defect;
    const before = await federationFootprint(fx);
    const counts = await federationFailureCounts(fx);
    const { agent, answer } = await signIn();
    expect(answer.response.status).toBe(400);
    expect(answer.response.headers.get('content-type')).toContain('text/html');
    expect(await answer.response.text()).toContain('could not be trusted');
    await expectRefusalRecorded(fx, 'invalid_id_token', counts);
    expect(await federationFootprint(fx)).toEqual(before);
    expect(agent.cookie('__Secure-lanyard_session', '/tenants/acme')).toBeUndefined();
    // The log names openid-client's finding, so an operator can tell the defects apart.
    const refusal = fx.api.logs.filter((line) => line.msg === 'federated sign-in refused').at(-1);
    expect(String(refusal?.detail)).toMatch(finding);
    expect(JSON.stringify(refusal)).not.toContain(upstream.clientSecret);
  });

  it('passes an app’s max_age and prompt=login on, and refuses an authentication older than they ask; one that states no auth_time is taken at its word', async () => {
    const nowSeconds = () => Math.floor(Date.now() / 1000);
    // Recent enough: our ID token carries the upstream's auth_time, not the moment of our callback.
    newPerson();
    upstream.authTime = nowSeconds() - 120;
    const recent = await signIn(undefined, { max_age: '300' });
    expect(upstream.lastAuthorization?.get('max_age')).toBe('300');
    expect(upstream.lastAuthorization?.has('prompt')).toBe(false);
    expect((await redeemAtApp(recent.page, recent.answer.url)).claims()!.auth_time).toBe(upstream.authTime);

    const refusedAs = async (extra: Record<string, string>, authTime: number) => {
      newPerson();
      upstream.authTime = authTime;
      const before = await federationFootprint(fx);
      const counts = await federationFailureCounts(fx);
      const { answer } = await signIn(undefined, extra);
      expect(answer.response.status).toBe(400);
      expect(await answer.response.text()).toContain('could not be trusted');
      await expectRefusalRecorded(fx, 'invalid_id_token', counts);
      expect(await federationFootprint(fx)).toEqual(before);
      expect(String(fx.api.logs.filter((line) => line.msg === 'federated sign-in refused').at(-1)?.detail)).toMatch(/auth_time \d+ is older than demanded/);
    };
    // The upstream ignored max_age: it signed the person in an hour ago.
    await refusedAs({ max_age: '300' }, nowSeconds() - 3_600);
    // prompt=login: only an authentication after we sent the browser there will do.
    await refusedAs({ prompt: 'login' }, nowSeconds() - 600);
    expect(upstream.lastAuthorization?.get('prompt')).toBe('login');

    // An upstream that states no auth_time: taken at its word, with our clock.
    newPerson();
    upstream.authTime = undefined;
    const unsaid = await signIn(undefined, { max_age: '300' });
    expect(Math.abs(Number((await redeemAtApp(unsaid.page, unsaid.answer.url)).claims()!.auth_time) - nowSeconds())).toBeLessThan(5);
  });

  it('a token endpoint that does not answer: 424 after the 5 s timeout, never a 5xx or a hang', async () => {
    newPerson();
    upstream.tokenDelayMs = 8_000;
    const before = await federationFootprint(fx);
    const counts = await federationFailureCounts(fx);
    const { answer } = await signIn();
    expect(answer.response.status).toBe(424);
    expect(await answer.response.text()).toContain('cannot be reached right now');
    await expectRefusalRecorded(fx, 'upstream_unreachable', counts);
    expect(await federationFootprint(fx)).toEqual(before);
  }, 30_000);

  it('caches discovery between sign-ins, and re-fetches the JWKS when the upstream signs with a new key', async () => {
    newPerson();
    await signsIn();
    const fetched = { ...upstream.fetched };
    newPerson();
    await signsIn();
    expect(upstream.fetched.discovery).toBe(fetched.discovery);
    expect(upstream.fetched.jwks).toBe(fetched.jwks);

    // The upstream rotates its key. openid-client re-fetches on an unknown `kid` once its copy is a
    // minute old (a cooldown, so unknown kids cannot make us hammer the upstream): move time on.
    await upstream.rotateKey();
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 61_000 });
    newPerson();
    await signsIn();
    expect(upstream.fetched.jwks).toBe(fetched.jwks + 1);
    expect(upstream.fetched.discovery).toBe(fetched.discovery);
  });
});
