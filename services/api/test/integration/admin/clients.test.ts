import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient, type AdminClient } from '../../support/admin-client.js';

const confidential = { type: 'confidential', grantTypes: ['client_credentials'], scopes: ['billing:read'] };
const spa = {
  type: 'public',
  grantTypes: ['authorization_code', 'refresh_token'],
  redirectUris: ['https://app.acme.example/callback'],
  postLogoutRedirectUris: ['https://app.acme.example/'],
  allowedCorsOrigins: ['https://app.acme.example'],
  scopes: ['openid', 'profile', 'email', 'offline_access'],
};

describe('admin API: clients', () => {
  let api: TestApi;
  let admin: AdminClient;
  beforeAll(async () => {
    api = await startTestApi();
    admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
  });
  afterAll(() => api.close());

  const token = (clientId: string, secret: string) =>
    api.app.inject({
      method: 'POST',
      url: '/tenants/acme/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${clientId}:${encodeURIComponent(secret)}`).toString('base64')}` },
      payload: 'grant_type=client_credentials',
    });

  it('creates a confidential client with a generated secret returned once, which works at the token endpoint', async () => {
    const created = await admin.put('/tenants/acme/clients/billing', confidential);
    expect(created.statusCode).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const body = created.json();
    expect(body.clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body).toMatchObject({ clientId: 'billing', tenant: 'acme', tokenEndpointAuthMethod: 'client_secret_basic', secrets: [{ expiresAt: null }] });
    expect((await token('billing', body.clientSecret)).statusCode).toBe(200);

    const again = await admin.put('/tenants/acme/clients/billing', confidential);
    expect(again.statusCode).toBe(200);
    expect(again.json()).not.toHaveProperty('clientSecret');
    expect(again.json().updatedAt).toBe(body.updatedAt);
    expect((await admin.get('/tenants/acme/clients/billing')).json()).not.toHaveProperty('clientSecret');
  });

  it('stores only a keyed hash of the secret', async () => {
    const created = (await admin.put('/tenants/acme/clients/hashcheck', confidential)).json();
    const rows = await api.database.query<{ secret_hash: Buffer }>(
      `select s.secret_hash from client_secrets s join clients c on c.id = s.client_ref where c.client_id = 'hashcheck'`,
    );
    expect(rows.rows).toHaveLength(1);
    expect(rows.rows[0]!.secret_hash.length).toBe(32);
    expect(rows.rows[0]!.secret_hash.toString('utf8')).not.toContain(created.clientSecret);
    // keyed: not the plain SHA-256 of the secret, so a leaked table alone cannot test guesses
    expect(rows.rows[0]!.secret_hash.equals(createHash('sha256').update(created.clientSecret).digest())).toBe(false);
  });

  it('registers a caller-supplied secret on create instead of generating one', async () => {
    const secret = 'operator-generated-secret-0123456789abcdef';
    const created = await admin.put('/tenants/acme/clients/supplied', { ...confidential, secret });
    expect(created.statusCode).toBe(201);
    expect(created.json()).not.toHaveProperty('clientSecret');
    expect((await token('supplied', secret)).statusCode).toBe(200);
  });

  it('creates a public SPA client without secrets and updates it in place', async () => {
    const created = await admin.put('/tenants/acme/clients/web', spa);
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ type: 'public', tokenEndpointAuthMethod: 'none', secrets: [] });
    const updated = await admin.put('/tenants/acme/clients/web', { ...spa, redirectUris: ['https://app.acme.example/callback', 'http://127.0.0.1/callback'] });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().redirectUris).toEqual(['https://app.acme.example/callback', 'http://127.0.0.1/callback']);
  });

  it('rotates: two secrets valid at once, a third refused, the removed one stops working', async () => {
    const created = (await admin.put('/tenants/acme/clients/rotating', confidential)).json();
    const next = 'next-secret-for-rotation-0123456789abcdefgh';
    const added = await admin.post('/tenants/acme/clients/rotating/secrets', { secret: next });
    expect(added.statusCode).toBe(201);
    const replay = await admin.post('/tenants/acme/clients/rotating/secrets', { secret: next });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().id).toBe(added.json().id);
    expect((await token('rotating', created.clientSecret)).statusCode).toBe(200);
    expect((await token('rotating', next)).statusCode).toBe(200);

    const third = await admin.post('/tenants/acme/clients/rotating/secrets', { secret: 'a-third-secret-0123456789abcdefghijklmn' });
    expect(third.statusCode).toBe(409);

    expect((await admin.delete(`/tenants/acme/clients/rotating/secrets/${created.secrets[0].id}`)).statusCode).toBe(204);
    expect((await token('rotating', created.clientSecret)).statusCode).toBe(401);
    expect((await token('rotating', next)).statusCode).toBe(200);
  });

  it('does not accept an expired secret', async () => {
    await admin.put('/tenants/acme/clients/expiring', { ...confidential, secret: 'first-secret-0123456789abcdefghijklmnop' });
    const soon = new Date(api.ctx.clock().getTime() + 1_000).toISOString();
    await admin.post('/tenants/acme/clients/expiring/secrets', { secret: 'short-lived-secret-0123456789abcdefghij', expiresAt: soon });
    expect((await token('expiring', 'short-lived-secret-0123456789abcdefghij')).statusCode).toBe(200);
    api.time.advance(1_100);
    expect((await token('expiring', 'short-lived-secret-0123456789abcdefghij')).statusCode).toBe(401);
  });

  it('deletes a client; its credentials stop working at once', async () => {
    const created = (await admin.put('/tenants/acme/clients/doomed', confidential)).json();
    expect((await admin.delete('/tenants/acme/clients/doomed')).statusCode).toBe(204);
    expect((await admin.get('/tenants/acme/clients/doomed')).statusCode).toBe(404);
    expect((await admin.delete('/tenants/acme/clients/doomed')).statusCode).toBe(404);
    expect((await token('doomed', created.clientSecret)).statusCode).toBe(401);
  });

  it('refuses to change the client type', async () => {
    await admin.put('/tenants/acme/clients/fixed', confidential);
    const response = await admin.put('/tenants/acme/clients/fixed', spa);
    expect(response.statusCode).toBe(409);
    expect((await admin.get('/tenants/acme/clients/fixed')).json().type).toBe('confidential');
  });

  it.each([
    ['public client with client_credentials', { ...spa, grantTypes: ['client_credentials'] }, '/grantTypes'],
    ['authorization_code without redirect URIs', { ...spa, redirectUris: [] }, '/redirectUris'],
    ['refresh_token without authorization_code', { ...confidential, grantTypes: ['client_credentials', 'refresh_token'] }, '/grantTypes'],
    ['http redirect URI on a public host', { ...spa, redirectUris: ['http://app.acme.example/cb'] }, '/redirectUris/0'],
    ['redirect URI with a fragment', { ...spa, redirectUris: ['https://app.acme.example/cb#x'] }, '/redirectUris/0'],
    ['relative redirect URI', { ...spa, redirectUris: ['/callback'] }, '/redirectUris/0'],
    ['CORS origin with a path', { ...spa, allowedCorsOrigins: ['https://app.acme.example/'] }, '/allowedCorsOrigins/0'],
  ])('rejects %s with 400 naming the field, writing nothing', async (_name, body, field) => {
    const response = await admin.put('/tenants/acme/clients/invalid', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().invalidParams[0].name).toBe(field);
    expect((await admin.get('/tenants/acme/clients/invalid')).statusCode).toBe(404);
  });

  it('rejects unknown grant types and fields through the schema', async () => {
    const implicit = await admin.put('/tenants/acme/clients/invalid', { ...spa, grantTypes: ['implicit'] });
    expect(implicit.statusCode).toBe(400);
    expect(implicit.json().invalidParams[0].name).toMatch(/^body\/grantTypes\/0/);
    const extra = await admin.put('/tenants/acme/clients/invalid', { ...spa, clientUri: 'https://app.example' });
    expect(extra.json().invalidParams[0].name).toBe('body/clientUri');
  });

  it('writes nothing when the database fails halfway through creating a client', async () => {
    // A real fault in the real database: the secret insert fails after the client row was written.
    await api.database.query(`
      create function fail_secret_insert() returns trigger language plpgsql as $$
      begin raise exception 'injected failure'; end $$;
      create trigger fail_secret_insert before insert on client_secrets for each row execute function fail_secret_insert();`);
    try {
      const response = await admin.put('/tenants/acme/clients/halfway', confidential);
      expect(response.statusCode).toBe(500);
      expect(response.json().detail).toBe('An unexpected error occurred.');
      const rows = await api.database.query(`select 1 from clients where client_id = 'halfway'`);
      expect(rows.rowCount).toBe(0);
    } finally {
      await api.database.query(`drop trigger fail_secret_insert on client_secrets; drop function fail_secret_insert();`);
    }
    expect((await admin.put('/tenants/acme/clients/halfway', confidential)).statusCode).toBe(201);
  });

  it('answers 404 for a client of an unknown tenant', async () => {
    expect((await admin.put('/tenants/nope/clients/x', confidential)).statusCode).toBe(404);
  });
});
