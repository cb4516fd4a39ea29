import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { startTestApi, type TestApi } from '../../support/test-api.js';

/**
 * Review finding 1: every place that accepts our access tokens applies the same checks. A token
 * revoked through RFC 7009, or whose client was deleted, disabled or lost the admin scope, stops
 * working at the admin API at once — and writes nothing when refused.
 */
describe('admin API tokens stop working when revoked or when their client changes', () => {
  let api: TestApi;
  let root: AdminClient;
  let robot: { id: string; secret: string };

  beforeAll(async () => {
    api = await startTestApi();
    root = adminClient(api.app, await api.adminToken());
  });
  afterAll(() => api.close());

  const adminSpec = { type: 'confidential', grantTypes: ['client_credentials'], scopes: ['lanyard:admin'], audience: ['urn:lanyard:admin-api'], tokenEndpointAuthMethod: 'client_secret_post' };

  // Each test gets its own admin client, so none depends on another having run.
  beforeEach(async () => {
    const id = `robot-${Math.random().toString(36).slice(2, 10)}`;
    const created = await root.put(`/tenants/system/clients/${id}`, adminSpec);
    expect(created.statusCode).toBe(201);
    robot = { id, secret: (created.json() as { clientSecret: string }).clientSecret };
  });

  const form = (fields: Record<string, string>) => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ client_id: robot.id, client_secret: robot.secret, ...fields }).toString(),
  });
  const robotToken = async () => {
    const response = await api.app.inject({ url: '/tenants/system/oauth2/token', ...form({ grant_type: 'client_credentials' }) });
    expect(response.statusCode).toBe(200);
    return (response.json() as { access_token: string }).access_token;
  };
  const tenantCount = async () => Number((await api.ctx.database.pool.query('select count(*) from tenants')).rows[0].count);

  /** The token is refused for a read and for a write, and the write changed nothing. */
  async function expectRefused(token: string, detail: string) {
    const before = await tenantCount();
    const read = await adminClient(api.app, token).get('/tenants/system');
    expect(read.statusCode).toBe(401);
    expect(read.headers['www-authenticate']).toBe('Bearer realm="lanyard-admin", error="invalid_token"');
    expect(read.headers['content-type']).toMatch(/^application\/problem\+json/);
    const write = await adminClient(api.app, token).put('/tenants/should-not-exist', { displayName: 'Nope' });
    expect(write.statusCode).toBe(401);
    expect(await tenantCount()).toBe(before);
    expect((await root.get('/tenants/should-not-exist')).statusCode).toBe(404);
    expect(api.logs.some((l) => l.msg === 'request rejected' && l.detail === detail)).toBe(true);
  }

  it('works before anything changes', async () => {
    expect((await adminClient(api.app, await robotToken()).get('/tenants/system')).statusCode).toBe(200);
  });

  it('after an RFC 7009 revocation: introspection says inactive and the admin API refuses it', async () => {
    const token = await robotToken();
    expect((await api.app.inject({ url: '/tenants/system/oauth2/revoke', ...form({ token }) })).statusCode).toBe(200);
    const introspection = await api.app.inject({ url: '/tenants/system/oauth2/introspect', ...form({ token }) });
    expect(introspection.json()).toEqual({ active: false });
    await expectRefused(token, 'revoked jti');
  });

  it('after its client is deleted (and even when a client of the same id is created again)', async () => {
    const token = await robotToken();
    expect((await root.delete(`/tenants/system/clients/${robot.id}`)).statusCode).toBe(204);
    await expectRefused(token, 'client no longer exists');
    api.time.advance(1_000); // the new registration is created a second later than the token
    expect((await root.put(`/tenants/system/clients/${robot.id}`, adminSpec)).statusCode).toBe(201);
    await expectRefused(token, 'issued to an earlier client of the same id');
  });

  it('after its client is disabled; a disabled client cannot get a new token either', async () => {
    const token = await robotToken();
    const disabled = await root.put(`/tenants/system/clients/${robot.id}`, { ...adminSpec, disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json()).toMatchObject({ disabled: true });
    await expectRefused(token, 'client disabled');
    const refused = await api.app.inject({ url: '/tenants/system/oauth2/token', ...form({ grant_type: 'client_credentials' }) });
    expect(refused.statusCode).toBe(401);
    expect(refused.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('after its client loses the lanyard:admin scope', async () => {
    const token = await robotToken();
    expect((await root.put(`/tenants/system/clients/${robot.id}`, { ...adminSpec, scopes: ['something:else'] })).statusCode).toBe(200);
    await expectRefused(token, 'a granted scope was removed from the client');
  });

  it('after its client loses the admin API audience', async () => {
    const token = await robotToken();
    expect((await root.put(`/tenants/system/clients/${robot.id}`, { ...adminSpec, audience: [] })).statusCode).toBe(200);
    await expectRefused(token, 'an audience was removed from the client');
  });

  it('costs no database query: the client state is read from the cache', async () => {
    const token = await robotToken();
    await adminClient(api.app, token).get('/tenants/system'); // warm
    const queries: string[] = [];
    const original = api.ctx.database.pool.query.bind(api.ctx.database.pool);
    (api.ctx.database.pool as { query: unknown }).query = (...args: unknown[]) => {
      queries.push(String((args[0] as { text?: string })?.text ?? args[0]));
      return (original as (...a: unknown[]) => unknown)(...args);
    };
    try {
      await api.ctx.accessTokenCheck.validate((await api.ctx.tenants.find('system'))!, `${api.baseUrl}/tenants/system`, token);
    } finally {
      (api.ctx.database.pool as { query: unknown }).query = original;
    }
    expect(queries).toEqual([]);
  });
});
