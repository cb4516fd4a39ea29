import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJwt } from 'jose';
import { PASSWORD, signInThroughPages, startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { authorizeUrl, basicAuth, pkcePair, redeem, tokenRequest } from '../../support/oauth-helpers.js';
import { UserAgent } from '../../support/user-agent.js';
import { adminClient } from '../../support/admin-client.js';
import { nonAdminToken } from './paging-cases.js';

const WEB_CALLBACK = 'https://web.acme.example/callback';

interface SessionItem {
  id: string;
  createdAt: string;
  authTime: string;
  expiresAt: string;
  amr: string[];
  userAgent: string | null;
  ipNetwork: string | null;
}

interface BrowserSignIn {
  readonly agent: UserAgent;
  /** The session this sign-in created (the ID token's `sid`). */
  readonly sessionId: string;
  readonly refreshToken: string;
  readonly accessToken: string;
}

/** Admin session routes (docs/reference/admin-api.md#sessions) against sessions made by real sign-ins. */
describe('admin API: user sessions', () => {
  let fx: OAuthFixture;
  let users = 0;
  const base = (userId: string, tenant = 'acme') => `/tenants/${tenant}/users/${userId}/sessions`;

  /** A fresh user of its own, so every test sees only the sessions it made. */
  const newUser = async (): Promise<{ id: string; email: string }> => {
    users += 1;
    const email = `session-user-${users}@acme.example`;
    const created = await fx.admin.post('/tenants/acme/users', { email, password: PASSWORD, emailVerified: true });
    return { id: (created.json() as { id: string }).id, email };
  };

  /** One browser signing in through the hosted pages, then redeeming the code at acme-web. */
  const signIn = async (email: string, scope = 'openid email offline_access', password = PASSWORD): Promise<BrowserSignIn> => {
    const agent = new UserAgent();
    const { verifier, challenge } = pkcePair();
    const callback = await signInThroughPages(agent, new URL(authorizeUrl(fx, { scope, code_challenge: challenge })), WEB_CALLBACK, email, password);
    const code = callback.searchParams.get('code');
    if (code === null) throw new Error(`no code in ${callback.toString()}`);
    const tokens = await redeem(fx, { code, verifier, redirectUri: WEB_CALLBACK, clientId: 'acme-web', agent });
    expect(tokens.status).toBe(200);
    return { agent, sessionId: decodeJwt(tokens.body.id_token as string).sid as string, refreshToken: tokens.body.refresh_token as string, accessToken: tokens.body.access_token as string };
  };

  /** Does this browser's session cookie still sign it in? (prompt=none: a code, or login_required) */
  const sessionWorks = async (agent: UserAgent): Promise<boolean> => {
    const response = await agent.request(authorizeUrl(fx, { prompt: 'none' }));
    const location = new URL(response.headers.get('location')!);
    if (location.searchParams.has('code')) return true;
    expect(location.searchParams.get('error')).toBe('login_required');
    return false;
  };

  const refresh = (token: string) => tokenRequest(fx, { grant_type: 'refresh_token', refresh_token: token }, { headers: basicAuth('acme-web', fx.webSecret) });
  /** Is this access token still accepted where we accept our own: userinfo, and introspection (RFC 7662)? */
  const accepted = async (accessToken: string): Promise<{ userinfo: number; active: boolean }> => {
    const userinfo = await fx.api.app.inject({ url: '/tenants/acme/oauth2/userinfo', headers: { authorization: `Bearer ${accessToken}` } });
    const introspected = await fx.api.app.inject({
      method: 'POST',
      url: '/tenants/acme/oauth2/introspect',
      headers: { ...basicAuth('acme-web', fx.webSecret), 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: accessToken }).toString(),
    });
    expect(introspected.statusCode).toBe(200);
    return { userinfo: userinfo.statusCode, active: (introspected.json() as { active: boolean }).active };
  };
  const listed = async (userId: string) => ((await fx.admin.get(base(userId))).json() as { items: SessionItem[] }).items;

  beforeAll(async () => {
    fx = await startOAuthFixture();
  });
  afterAll(() => fx.close());

  it('lists the sessions real sign-ins created, newest first, with what they record', async () => {
    const user = await newUser();
    const first = await signIn(user.email);
    fx.api.time.advance(1_000);
    const second = await signIn(user.email);
    await fx.api.database.query(`update sessions set user_agent = 'Mozilla/5.0 (X11; Linux x86_64)', ip_network = '192.0.2.0/24' where id = $1`, [second.sessionId]);

    const response = await fx.admin.get(base(user.id));
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const items = (response.json() as { items: SessionItem[] }).items;
    expect(items.map((s) => s.id)).toEqual([second.sessionId, first.sessionId]);
    expect(items[0]).toEqual({
      id: second.sessionId,
      createdAt: expect.any(String),
      authTime: expect.any(String),
      expiresAt: expect.any(String),
      amr: ['pwd'],
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64)',
      ipNetwork: '192.0.2.0/24',
    });
    const row = (await fx.api.database.query<{ created_at: Date; auth_time: Date; expires_at: Date }>('select created_at, auth_time, expires_at from sessions where id = $1', [second.sessionId])).rows[0]!;
    expect(items[0]).toMatchObject({ createdAt: row.created_at.toISOString(), authTime: row.auth_time.toISOString(), expiresAt: row.expires_at.toISOString() });
    expect(Object.keys(items[1]!).sort()).toEqual(['amr', 'authTime', 'createdAt', 'expiresAt', 'id', 'ipNetwork', 'userAgent']);
    expect(response.body).not.toMatch(/hash/i);
  });

  it('pages the list newest first with an opaque cursor, sessions of the same millisecond included, and refuses a forged cursor', async () => {
    const user = await newUser();
    // Three sessions made in the same millisecond, and one later.
    const sameInstant = [await signIn(user.email), await signIn(user.email), await signIn(user.email)];
    const instant = new Date(fx.api.ctx.clock().getTime() - 5_000);
    await fx.api.database.query('update sessions set created_at = $1 where id = any($2::uuid[])', [instant, sameInstant.map((s) => s.sessionId)]);
    fx.api.time.advance(1_000);
    const newest = await signIn(user.email);
    const expected = [newest.sessionId, ...sameInstant.map((s) => s.sessionId).sort().reverse()];

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const response = await fx.admin.get(`${base(user.id)}?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      expect(response.statusCode).toBe(200);
      const page = response.json() as { items: SessionItem[]; nextCursor: string | null };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((s) => s.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null && pages < 5);
    expect(seen).toEqual(expected);
    expect(pages).toBe(2);

    for (const forged of ['not-a-cursor', Buffer.from('2026-01-01T00:00:00.000Z|x').toString('base64url'), Buffer.from("'; drop table sessions; --").toString('base64url'), 'A'.repeat(300)]) {
      const response = await fx.admin.get(`${base(user.id)}?cursor=${encodeURIComponent(forged)}`);
      expect(response.statusCode, forged).toBe(400);
      expect(response.json().invalidParams[0].name).toBe('querystring/cursor');
    }
    expect((await fx.admin.get(`${base(user.id)}?limit=0`)).statusCode).toBe(400);
  });

  it('lists only active sessions: not revoked, not expired by the API’s clock', async () => {
    const user = await newUser();
    const live = await signIn(user.email);
    const tenantId = (await fx.api.database.query<{ id: string }>(`select id from tenants where name = 'acme'`)).rows[0]!.id;
    const now = fx.api.ctx.clock();
    const insert = (hash: string, expiresAt: Date, revokedAt: Date | null) =>
      fx.api.database.query<{ id: string }>(
        `insert into sessions (tenant_id, user_id, token_hash, auth_time, amr, expires_at, revoked_at) values ($1, $2, $3, $4, '{pwd}', $5, $6) returning id`,
        [tenantId, user.id, Buffer.from(hash), now, expiresAt, revokedAt],
      );
    await insert(`expired-${user.id}`, new Date(now.getTime() - 1_000), null);
    await insert(`revoked-${user.id}`, new Date(now.getTime() + 3_600_000), now);
    const soon = (await insert(`soon-${user.id}`, new Date(now.getTime() + 60_000), null)).rows[0]!.id;
    expect((await listed(user.id)).map((s) => s.id).sort()).toEqual([live.sessionId, soon].sort());
    // The database's now() has not moved; the API's clock has.
    fx.api.time.advance(61_000);
    expect((await listed(user.id)).map((s) => s.id)).toEqual([live.sessionId]);
  });

  it('revoking one session ends that browser’s sign-in and its refresh tokens; the other session keeps working', async () => {
    const user = await newUser();
    const laptop = await signIn(user.email);
    const phone = await signIn(user.email);
    expect(await sessionWorks(laptop.agent)).toBe(true);

    const revoked = await fx.admin.delete(`${base(user.id)}/${laptop.sessionId}`);
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');

    expect(await sessionWorks(laptop.agent)).toBe(false);
    const dead = await refresh(laptop.refreshToken);
    expect(dead.status).toBe(400);
    expect(dead.body.error).toBe('invalid_grant');
    // Revoked as a family, not merely orphaned: offline_access refresh tokens outlive sessions otherwise.
    const family = await fx.api.database.query<{ revoked_reason: string | null }>('select revoked_reason from refresh_token_families where session_id = $1', [laptop.sessionId]);
    expect(family.rows.map((r) => r.revoked_reason)).toEqual(['session_revoked']);

    expect(await sessionWorks(phone.agent)).toBe(true);
    const alive = await refresh(phone.refreshToken);
    expect(alive.status).toBe(200);
    expect((await refresh(alive.body.refresh_token as string)).status).toBe(200);
    expect((await listed(user.id)).map((s) => s.id)).toEqual([phone.sessionId]);

    // Gone now: a second DELETE is a 404 problem, and changes nothing.
    const again = await fx.admin.delete(`${base(user.id)}/${laptop.sessionId}`);
    expect(again.statusCode).toBe(404);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(await sessionWorks(phone.agent)).toBe(true);
  });

  it('ending a session ends the access tokens issued in it, refreshed ones included; other sessions’ tokens keep working', async () => {
    const user = await newUser();
    const laptop = await signIn(user.email);
    const phone = await signIn(user.email);
    const refreshed = await refresh(laptop.refreshToken);
    expect(refreshed.status).toBe(200);
    const laptopTokens = [laptop.accessToken, refreshed.body.access_token as string];
    for (const token of [...laptopTokens, phone.accessToken]) expect(await accepted(token)).toEqual({ userinfo: 200, active: true });

    expect((await fx.admin.delete(`${base(user.id)}/${laptop.sessionId}`)).statusCode).toBe(204);
    // Access tokens live minutes, not the seconds a revocation should take to bite (RFC 9700 §4.14).
    for (const token of laptopTokens) expect(await accepted(token)).toEqual({ userinfo: 401, active: false });
    expect(await accepted(phone.accessToken)).toEqual({ userinfo: 200, active: true });

    // "End all sessions" too, and the user's sign-in afterwards gets tokens that work.
    expect((await fx.admin.delete(base(user.id))).statusCode).toBe(204);
    expect(await accepted(phone.accessToken)).toEqual({ userinfo: 401, active: false });
    const again = await signIn(user.email);
    expect(await accepted(again.accessToken)).toEqual({ userinfo: 200, active: true });
  });

  it('a new password ends the access tokens issued before it; a token issued after it works', async () => {
    const user = await newUser();
    const before = await signIn(user.email);
    expect(await accepted(before.accessToken)).toEqual({ userinfo: 200, active: true });
    fx.api.time.advance(2_000);
    const newPassword = 'an entirely new passphrase 42';
    expect((await fx.admin.patch(`/tenants/acme/users/${user.id}`, { password: newPassword })).statusCode).toBe(200);
    expect(await accepted(before.accessToken)).toEqual({ userinfo: 401, active: false });
    // The clock has not moved: a sign-in in the same second as the change gets tokens that work.
    const after = await signIn(user.email, undefined, newPassword);
    expect(await accepted(after.accessToken)).toEqual({ userinfo: 200, active: true });
  });

  it('revoking a session without offline_access ends its refresh tokens too', async () => {
    const user = await newUser();
    const browser = await signIn(user.email, 'openid email');
    expect((await fx.admin.delete(`${base(user.id)}/${browser.sessionId}`)).statusCode).toBe(204);
    expect((await refresh(browser.refreshToken)).body.error).toBe('invalid_grant');
  });

  it('only revokes a session through its own user and tenant: 404 otherwise, and it keeps working', async () => {
    const owner = await newUser();
    const other = await newUser();
    const browser = await signIn(owner.email);
    const globexUser = (await fx.admin.post('/tenants/globex/users', { email: owner.email })).json() as { id: string };
    for (const path of [
      `${base(other.id)}/${browser.sessionId}`,
      `${base(owner.id, 'globex')}/${browser.sessionId}`,
      `${base(globexUser.id, 'globex')}/${browser.sessionId}`,
      `${base(owner.id)}/00000000-0000-4000-8000-000000000000`,
      `${base('00000000-0000-4000-8000-000000000000')}/${browser.sessionId}`,
      `${base(owner.id, 'nope')}/${browser.sessionId}`,
    ]) {
      const response = await fx.admin.delete(path);
      expect(response.statusCode, path).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect((await fx.admin.delete(base(other.id))).statusCode).toBe(204);
    expect((await fx.admin.get(base(owner.id, 'globex'))).statusCode).toBe(404);
    expect(await sessionWorks(browser.agent)).toBe(true);
    expect((await refresh(browser.refreshToken)).status).toBe(200);
  });

  it('refuses ids that are not UUIDs with 400 or 404, never a database error', async () => {
    const user = await newUser();
    const browser = await signIn(user.email);
    for (const id of ['not-a-uuid', '1', "'; drop table sessions; --", 'x'.repeat(90)]) {
      const response = await fx.admin.delete(`${base(user.id)}/${encodeURIComponent(id)}`);
      expect(response.statusCode, id).toBe(400);
      expect(response.json().invalidParams[0].name).toBe('params/sessionId');
    }
    // ajv's uuid format alone would accept the URN form, which PostgreSQL does not: the schema refuses it.
    const urn = await fx.admin.delete(`${base(user.id)}/urn:uuid:${browser.sessionId}`);
    expect(urn.statusCode).toBe(400);
    for (const response of [await fx.admin.get(base(`urn:uuid:${user.id}`)), await fx.admin.delete(base(`urn:uuid:${user.id}`))]) expect(response.statusCode).toBe(400);
    expect((await fx.admin.get(base('not-a-uuid'))).json().invalidParams[0].name).toBe('params/userId');
    expect(await sessionWorks(browser.agent)).toBe(true);
    expect(fx.api.logs.filter((l) => l.level === 'error' || l.status === 500)).toEqual([]);
  });

  it('revoking all sessions ends every sign-in of the user and all their refresh tokens, and only theirs', async () => {
    const user = await newUser();
    const bystander = await newUser();
    const browsers = [await signIn(user.email), await signIn(user.email), await signIn(user.email, 'openid email')];
    const unaffected = await signIn(bystander.email);

    const response = await fx.admin.delete(base(user.id));
    expect(response.statusCode).toBe(204);
    for (const browser of browsers) {
      expect(await sessionWorks(browser.agent)).toBe(false);
      expect((await refresh(browser.refreshToken)).body.error).toBe('invalid_grant');
    }
    expect(await listed(user.id)).toEqual([]);
    const families = await fx.api.database.query<{ revoked_reason: string | null }>('select revoked_reason from refresh_token_families where user_id = $1', [user.id]);
    expect(families.rows.map((r) => r.revoked_reason)).toEqual(['session_revoked', 'session_revoked', 'session_revoked']);
    // Nothing left to end is not an error.
    expect((await fx.admin.delete(base(user.id))).statusCode).toBe(204);

    expect(await sessionWorks(unaffected.agent)).toBe(true);
    expect((await refresh(unaffected.refreshToken)).status).toBe(200);
    expect((await listed(bystander.id)).map((s) => s.id)).toEqual([unaffected.sessionId]);
  });

  it('the user can sign in again afterwards, as a new session', async () => {
    const user = await newUser();
    const before = await signIn(user.email);
    await fx.admin.delete(base(user.id));
    const after = await signIn(user.email);
    expect(after.sessionId).not.toBe(before.sessionId);
    expect((await listed(user.id)).map((s) => s.id)).toEqual([after.sessionId]);
  });

  it('needs an admin token: 401 without one, 403 without lanyard:admin, for every session route', async () => {
    const user = await newUser();
    const browser = await signIn(user.email);
    const reader = adminClient(fx.api.app, await nonAdminToken(fx.api, fx.admin, 'session-reader'));
    const routes: Array<['GET' | 'DELETE', string]> = [
      ['GET', base(user.id)],
      ['DELETE', base(user.id)],
      ['DELETE', `${base(user.id)}/${browser.sessionId}`],
    ];
    for (const [method, path] of routes) {
      const anonymous = await fx.api.app.inject({ method, url: `/admin/v1${path}` });
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="lanyard-admin"');
      const forbidden = method === 'GET' ? await reader.get(path) : await reader.delete(path);
      expect(forbidden.statusCode).toBe(403);
    }
    expect(await sessionWorks(browser.agent)).toBe(true);
    expect((await listed(user.id)).map((s) => s.id)).toEqual([browser.sessionId]);
  });
});
