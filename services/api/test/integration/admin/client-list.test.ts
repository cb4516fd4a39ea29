import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { BAD_CURSORS, cursorOf, nonAdminToken, pageThrough, type Page } from './paging-cases.js';

type ClientItem = { tenant: string; clientId: string; type: string; secrets: Array<{ id: string }>; clientSecret?: string };

describe('admin API: client list', () => {
  let api: TestApi;
  let admin: AdminClient;
  /** Every secret the server generated for a client of this file: none may ever be listed. */
  const generatedSecrets: string[] = [];
  const list = (tenant: string, query = '') => admin.get(`/tenants/${tenant}/clients${query}`);
  const idsInDb = async (tenant: string) =>
    (
      await api.database.query<{ client_id: string }>('select c.client_id from clients c join tenants t on t.id = c.tenant_id where t.name = $1 order by c.client_id', [tenant])
    ).rows.map((r) => r.client_id);
  const put = async (tenant: string, clientId: string, type: 'confidential' | 'public') => {
    const body =
      type === 'confidential'
        ? { type, grantTypes: ['client_credentials'], scopes: ['orders:read'] }
        : { type, grantTypes: ['authorization_code'], redirectUris: ['https://app.example/cb'] };
    const response = await admin.put(`/tenants/${tenant}/clients/${clientId}`, body);
    if (response.statusCode !== 201) throw new Error(`PUT ${clientId}: ${response.statusCode} ${response.body}`);
    const secret = (response.json() as ClientItem).clientSecret;
    if (secret !== undefined) generatedSecrets.push(secret);
  };

  beforeAll(async () => {
    api = await startTestApi();
    admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
    await admin.put('/tenants/globex', { displayName: 'Globex' });
    await admin.put('/tenants/empty', { displayName: 'No clients' });
    // Ids whose order depends on case, digits and punctuation.
    for (const [i, clientId] of ['web', 'Web2', 'a.b', 'a-b', 'a_b', 'A1', 'z9', '0x', 'billing'].entries()) await put('acme', clientId, i % 2 === 0 ? 'confidential' : 'public');
    await put('globex', 'web', 'confidential');
    await put('globex', 'globex-only', 'public');
  });
  afterAll(() => api.close());

  it('lists a tenant’s clients in client-id order as GET returns them, and never a secret', async () => {
    const response = await list('acme');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const page = response.json() as Page<ClientItem>;
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((c) => c.clientId)).toEqual(await idsInDb('acme'));
    for (const item of page.items) {
      expect(item).not.toHaveProperty('clientSecret');
      expect(item).toEqual((await admin.get(`/tenants/acme/clients/${item.clientId}`)).json());
    }
    expect(page.items.find((c) => c.clientId === 'web')!.secrets).toHaveLength(1);
    expect(page.items.find((c) => c.clientId === 'Web2')!.secrets).toHaveLength(0);
    for (const secret of generatedSecrets) expect(response.body).not.toContain(secret);
    expect(response.body).not.toMatch(/hash/i);
  });

  it('keeps tenants apart, answers an empty tenant with an empty page and an unknown one with 404', async () => {
    const globex = (await list('globex')).json() as Page<ClientItem>;
    expect(globex.items.map((c) => c.clientId)).toEqual(await idsInDb('globex'));
    expect(globex.items.map((c) => c.clientId).sort()).toEqual(['globex-only', 'web']);
    expect(globex.items.every((c) => c.tenant === 'globex')).toBe(true);
    expect((await list('empty')).json()).toEqual({ items: [], nextCursor: null });
    const unknown = await list('nope');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await list('Not_A_Tenant')).json().invalidParams[0].name).toBe('params/tenant');
  });

  it('pages with limit and an opaque cursor: each client exactly once, in order', async () => {
    const expected = await idsInDb('acme');
    for (const limit of [1, 2, 4, expected.length, 200]) {
      const { items, pages } = await pageThrough<ClientItem>(admin, '/tenants/acme/clients', limit);
      expect(items.map((c) => c.clientId)).toEqual(expected);
      expect(items.every((c) => c.tenant === 'acme')).toBe(true);
      expect(pages).toBe(Math.ceil(expected.length / limit));
    }
  });

  it('stays exact under concurrent writes, and a cursor of one tenant never leaks another’s clients', async () => {
    await put('acme', 'zz-gone', 'public');
    const { items } = await pageThrough<ClientItem>(admin, '/tenants/acme/clients', 3, async (page) => {
      if (page !== 1) return;
      await put('acme', 'zzz-late', 'public');
      await admin.delete('/tenants/acme/clients/zz-gone');
    });
    const ids = items.map((c) => c.clientId);
    expect(ids).toContain('zzz-late');
    expect(ids).not.toContain('zz-gone');
    expect(ids).toEqual(await idsInDb('acme'));
    await admin.delete('/tenants/acme/clients/zzz-late');
    // acme's cursor used at globex is only a position in globex's own list.
    const acmePage = (await list('acme', '?limit=1')).json() as Page<ClientItem>;
    const atGlobex = (await list('globex', `?cursor=${acmePage.nextCursor!}`)).json() as Page<ClientItem>;
    expect(atGlobex.items.every((c) => c.tenant === 'globex')).toBe(true);
  });

  it('defaults to 50 items and refuses a limit outside 1..200', async () => {
    await admin.put('/tenants/bulk', { displayName: 'Bulk' });
    await api.database.query(
      `insert into clients (tenant_id, client_id, type, grant_types, redirect_uris, token_endpoint_auth_method)
       select t.id, 'c' || lpad(i::text, 3, '0'), 'public', '{authorization_code}', '{https://app.example/cb}', 'none' from tenants t, generate_series(1, 51) i where t.name = 'bulk'`,
    );
    const first = (await list('bulk')).json() as Page<ClientItem>;
    expect(first.items).toHaveLength(50);
    const second = (await list('bulk', `?cursor=${first.nextCursor!}`)).json() as Page<ClientItem>;
    expect(second).toMatchObject({ items: [{ clientId: 'c051' }], nextCursor: null });
    for (const limit of ['0', '201', 'x']) expect((await list('acme', `?limit=${limit}`)).json().invalidParams[0].name).toBe('querystring/limit');
  });

  it.each(BAD_CURSORS)('refuses a cursor with %s: 400 problem naming querystring/cursor', async (_case, cursor) => {
    const response = await list('acme', `?cursor=${cursor}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: 'urn:lanyard:problem:validation_failed', status: 400, invalidParams: [{ name: 'querystring/cursor' }] });
  });

  it('refuses a cursor whose key cannot be a client id', async () => {
    for (const key of ['-web', 'a b', 'é', 'x'.repeat(129)]) {
      const response = await list('acme', `?cursor=${cursorOf(key)}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().invalidParams[0].name).toBe('querystring/cursor');
    }
  });

  it('needs an admin token: 401 without one, 403 without lanyard:admin', async () => {
    const anonymous = await api.app.inject({ method: 'GET', url: '/admin/v1/tenants/acme/clients' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="lanyard-admin"');
    const forbidden = await adminClient(api.app, await nonAdminToken(api, admin, 'client-list-reader')).get('/tenants/acme/clients');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });
});
