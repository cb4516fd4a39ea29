import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient, type AdminClient } from '../../support/admin-client.js';

describe('admin API: users', () => {
  let api: TestApi;
  let admin: AdminClient;
  beforeAll(async () => {
    api = await startTestApi();
    admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
    await admin.put('/tenants/globex', { displayName: 'Globex' });
  });
  afterAll(() => api.close());

  it('creates a user with an Argon2id hash (OWASP parameters) and never returns it', async () => {
    const created = await admin.post('/tenants/acme/users', { email: 'Alice@Example.COM', password: 'correct horse battery', name: 'Alice' });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({ email: 'alice@example.com', emailVerified: false, name: 'Alice', disabled: false, hasPassword: true });
    expect(JSON.stringify(user)).not.toContain('argon2');
    expect(created.headers.location).toBe(`/admin/v1/tenants/acme/users/${user.id}`);
    const row = await api.database.query<{ password_hash: string }>('select password_hash from users where id = $1', [user.id]);
    expect(row.rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect((await admin.get(`/tenants/acme/users/${user.id}`)).json()).toEqual(user);
  });

  it('refuses a duplicate email in the same tenant (409) but allows it in another', async () => {
    await admin.post('/tenants/acme/users', { email: 'bob@example.com' });
    expect((await admin.post('/tenants/acme/users', { email: 'BOB@example.com' })).statusCode).toBe(409);
    expect((await admin.post('/tenants/globex/users', { email: 'bob@example.com' })).statusCode).toBe(201);
  });

  it('keeps tenants apart: a user id of one tenant is 404 in another', async () => {
    const user = (await admin.post('/tenants/acme/users', { email: 'carol@example.com' })).json();
    expect((await admin.get(`/tenants/globex/users/${user.id}`)).statusCode).toBe(404);
    expect((await admin.delete(`/tenants/globex/users/${user.id}`)).statusCode).toBe(404);
    expect((await admin.get(`/tenants/acme/users/${user.id}`)).statusCode).toBe(200);
  });

  it('pages through users with an opaque cursor, each exactly once', async () => {
    await admin.put('/tenants/paged', { displayName: 'Paged' });
    const emails = Array.from({ length: 7 }, (_, i) => `user${i}@paged.example`);
    for (const email of emails) await admin.post('/tenants/paged/users', { email });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { items: Array<{ email: string }>; nextCursor: string | null } = (
        await admin.get(`/tenants/paged/users?limit=3${cursor === null ? '' : `&cursor=${cursor}`}`)
      ).json();
      seen.push(...page.items.map((u) => u.email));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...emails].sort());
    const filtered = (await admin.get('/tenants/paged/users?email=USER3@paged.example')).json();
    expect(filtered.items.map((u: { email: string }) => u.email)).toEqual(['user3@paged.example']);
    expect((await admin.get('/tenants/paged/users?cursor=garbage')).statusCode).toBe(400);
    expect((await admin.get('/tenants/paged/users?limit=1000')).json().invalidParams[0].name).toBe('querystring/limit');
  });

  it('patches fields; disabling revokes sessions and refresh tokens in the same step', async () => {
    const user = (await admin.post('/tenants/acme/users', { email: 'dave@example.com', password: 'a long enough password' })).json();
    const tenantId = (await api.database.query<{ id: string }>(`select id from tenants where name = 'acme'`)).rows[0]!.id;
    const client = (await admin.put('/tenants/acme/clients/spa', {
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://spa.example/cb'],
    })).json();
    const clientRef = (await api.database.query<{ id: string }>(`select id from clients where client_id = $1`, [client.clientId])).rows[0]!.id;
    await api.database.query(
      `insert into refresh_token_families (tenant_id, client_ref, user_id, scopes, auth_time, delivery, absolute_expires_at)
       values ($1, $2, $3, '{openid}', now(), 'body', now() + interval '1 day')`,
      [tenantId, clientRef, user.id],
    );
    await api.database.query(
      `insert into sessions (tenant_id, user_id, token_hash, auth_time, amr, expires_at) values ($1, $2, '\\x01', now(), '{pwd}', now() + interval '1 hour')`,
      [tenantId, user.id],
    );
    const patched = await admin.patch(`/tenants/acme/users/${user.id}`, { disabled: true, name: 'Dave' });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ disabled: true, name: 'Dave' });
    const live = await api.database.query(
      `select 1 from refresh_token_families where user_id = $1 and revoked_at is null
       union all select 1 from sessions where user_id = $1 and revoked_at is null`,
      [user.id],
    );
    expect(live.rowCount).toBe(0);
  });

  it('a new password replaces the hash and revokes refresh tokens', async () => {
    const user = (await admin.post('/tenants/acme/users', { email: 'erin@example.com', password: 'first password here' })).json();
    const before = (await api.database.query<{ password_hash: string }>('select password_hash from users where id = $1', [user.id])).rows[0]!.password_hash;
    expect((await admin.patch(`/tenants/acme/users/${user.id}`, { password: 'second password here' })).statusCode).toBe(200);
    const after = (await api.database.query<{ password_hash: string; password_changed_at: Date }>('select password_hash, password_changed_at from users where id = $1', [user.id])).rows[0]!;
    expect(after.password_hash).not.toBe(before);
    expect(after.password_changed_at).toBeInstanceOf(Date);
  });

  it('rejects invalid bodies with a problem naming the field, writing nothing', async () => {
    const badEmail = await admin.post('/tenants/acme/users', { email: 'not-an-email' });
    expect(badEmail.statusCode).toBe(400);
    expect(badEmail.json().invalidParams[0].name).toBe('body/email');
    const shortPassword = await admin.post('/tenants/acme/users', { email: 'frank@example.com', password: 'short' });
    expect(shortPassword.json().invalidParams[0].name).toBe('body/password');
    expect((await api.database.query(`select 1 from users where email = 'frank@example.com'`)).rowCount).toBe(0);
    const emptyPatch = await admin.patch('/tenants/acme/users/00000000-0000-4000-8000-000000000000', {});
    expect(emptyPatch.statusCode).toBe(400);
    const badId = await admin.get('/tenants/acme/users/not-a-uuid');
    expect(badId.json().invalidParams[0].name).toBe('params/userId');
  });

  it('applies the tenant password policy to passwords an admin sets, on create and patch', async () => {
    await admin.put('/tenants/policy', { displayName: 'Policy', accounts: { passwordMinLength: 16 } });
    const short = await admin.post('/tenants/policy/users', { email: 'p@policy.example', password: 'fifteen chars..' });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ invalidParams: [{ name: 'body/password', reason: 'Use at least 16 characters.' }] });
    const common = await admin.post('/tenants/acme/users', { email: 'c@acme.example', password: 'qwertyuiop123' });
    expect(common.json()).toMatchObject({ invalidParams: [{ name: 'body/password', reason: expect.stringContaining('too common') }] });
    const created = await admin.post('/tenants/policy/users', { email: 'p@policy.example', password: 'sixteen chars ok' });
    expect(created.statusCode).toBe(201);
    const patched = await admin.patch(`/tenants/policy/users/${created.json().id}`, { password: 'too short now' });
    expect(patched.statusCode).toBe(400);
    expect((await api.database.query('select count(*)::int as n from users where email = $1', ['c@acme.example'])).rows[0]).toEqual({ n: 0 });
  });

  it('deletes a user', async () => {
    const user = (await admin.post('/tenants/acme/users', { email: 'gina@example.com' })).json();
    expect((await admin.delete(`/tenants/acme/users/${user.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/tenants/acme/users/${user.id}`)).statusCode).toBe(404);
  });
});
