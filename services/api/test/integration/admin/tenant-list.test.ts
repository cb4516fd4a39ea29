import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { BAD_CURSORS, cursorOf, nonAdminToken, pageThrough, type Page } from './paging-cases.js';

type TenantItem = { name: string; displayName: string; issuer: string };

describe('admin API: tenant list', () => {
  let api: TestApi;
  let admin: AdminClient;
  const list = (query: string) => admin.get(`/tenants${query}`);
  /** The database's own order, which the keyset must follow whatever the collation. */
  const namesInDb = async (where = 'true', params: unknown[] = []) =>
    (await api.database.query<{ name: string }>(`select name from tenants where ${where} order by name`, params)).rows.map((r) => r.name);

  beforeAll(async () => {
    api = await startTestApi();
    admin = adminClient(api.app, await api.adminToken());
    // Names whose order depends on how "-" and digits sort.
    for (const name of ['acme', 'a-1', 'a1', 'a10', 'a2', 'b', 'zeta-9', 'zeta0', '9lives']) {
      await admin.put(`/tenants/${name}`, { displayName: `Tenant ${name}` });
    }
  });
  afterAll(() => api.close());

  it('lists every tenant, system included, in name order, as the same resources GET returns', async () => {
    const response = await list('');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const page = response.json() as Page<TenantItem>;
    expect(page.nextCursor).toBeNull();
    expect(page.items.map((t) => t.name)).toEqual(await namesInDb());
    expect(page.items.map((t) => t.name)).toContain('system');
    for (const item of page.items) expect(item).toEqual((await admin.get(`/tenants/${item.name}`)).json());
  });

  it('pages with limit and an opaque cursor: each tenant exactly once, in order, no empty last page', async () => {
    const expected = await namesInDb();
    for (const limit of [1, 2, 3, expected.length, expected.length + 1]) {
      const { items, pages } = await pageThrough<TenantItem>(admin, '/tenants', limit);
      expect(items.map((t) => t.name)).toEqual(expected);
      expect(pages).toBe(Math.ceil(expected.length / limit));
    }
  });

  it('stays exact under concurrent writes: created ahead of the cursor appears, behind it or deleted does not', async () => {
    await admin.put('/tenants/mid-gone', { displayName: 'Deleted while paging' });
    const { items } = await pageThrough<TenantItem>(admin, '/tenants', 2, async (page) => {
      if (page !== 1) return;
      await admin.put('/tenants/zzz-late', { displayName: 'Created while paging' });
      await admin.put('/tenants/0-behind', { displayName: 'Created behind the cursor' });
      await admin.delete('/tenants/mid-gone');
    });
    const names = items.map((t) => t.name);
    expect(names).toContain('zzz-late');
    expect(names).not.toContain('mid-gone');
    expect(names).toEqual((await namesInDb()).filter((n) => n !== '0-behind'));
    await admin.delete('/tenants/zzz-late');
    await admin.delete('/tenants/0-behind');
  });

  it('defaults to 50 items and refuses a limit outside 1..200 or an unknown parameter', async () => {
    await api.database.query(`insert into tenants (name, display_name) select 'bulk-' || lpad(i::text, 2, '0'), 'Bulk' from generate_series(0, 49) i`);
    try {
      const first = (await list('')).json() as Page<TenantItem>;
      expect(first.items).toHaveLength(50);
      expect(first.nextCursor).not.toBeNull();
      expect((await list('?limit=200')).json().items.map((t: TenantItem) => t.name)).toEqual(await namesInDb());
    } finally {
      await api.database.query(`delete from tenants where name like 'bulk-%'`);
    }
    for (const limit of ['0', '201', '-1', 'ten', '1.5']) {
      const response = await list(`?limit=${limit}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().invalidParams[0].name).toBe('querystring/limit');
    }
    const unknown = await list('?offset=10');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().invalidParams[0].name).toBe('querystring/offset');
  });

  it.each(BAD_CURSORS)('refuses a cursor with %s: 400 problem naming querystring/cursor', async (_case, cursor) => {
    const response = await list(`?cursor=${cursor}`);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ type: 'urn:lanyard:problem:validation_failed', status: 400, invalidParams: [{ name: 'querystring/cursor' }] });
  });

  it('refuses a cursor whose key cannot be a tenant name, and a repeated cursor', async () => {
    for (const key of ['UPPER', 'a'.repeat(64), '-leading', 'x'.repeat(150)]) {
      const response = await list(`?cursor=${cursorOf(key)}`);
      expect(response.statusCode).toBe(400);
      expect(response.json().invalidParams[0].name).toBe('querystring/cursor');
    }
    expect((await list(`?cursor=${cursorOf('acme')}&cursor=${cursorOf('b')}`)).statusCode).toBe(400);
  });

  it('takes a well-formed cursor of a name that does not exist as a position', async () => {
    const page = (await list(`?cursor=${cursorOf('acmf')}&limit=200`)).json() as Page<TenantItem>;
    expect(page.items.map((t) => t.name)).toEqual(await namesInDb('name > $1', ['acmf']));
  });

  it('needs an admin token: 401 without one, 403 without lanyard:admin', async () => {
    const anonymous = await api.app.inject({ method: 'GET', url: '/admin/v1/tenants' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="lanyard-admin"');
    expect(anonymous.headers['content-type']).toMatch(/^application\/problem\+json/);
    const forbidden = await adminClient(api.app, await nonAdminToken(api, admin, 'tenant-list-reader')).get('/tenants');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.headers['www-authenticate']).toContain('error="insufficient_scope"');
  });

  it('is in the OpenAPI document with its query parameters and problem responses', async () => {
    const openapi = (await api.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }>; responses: Record<string, unknown> }>> };
    const operation = openapi.paths['/admin/v1/tenants']!.get!;
    expect(operation.parameters!.filter((p) => p.in === 'query').map((p) => p.name).sort()).toEqual(['cursor', 'limit']);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403']));
  });
});
