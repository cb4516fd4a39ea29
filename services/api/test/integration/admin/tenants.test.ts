import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient, type AdminClient } from '../../support/admin-client.js';

describe('admin API: tenants', () => {
  let api: TestApi;
  let admin: AdminClient;
  beforeAll(async () => {
    api = await startTestApi();
    admin = adminClient(api.app, await api.adminToken());
  });
  afterAll(() => api.close());

  it('creates with 201, then answers 200 for the same PUT without changing updatedAt', async () => {
    const first = await admin.put('/tenants/acme', { displayName: 'Acme Corp' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ name: 'acme', displayName: 'Acme Corp', managedBy: null, issuer: 'http://lanyard.test/tenants/acme' });
    const again = await admin.put('/tenants/acme', { displayName: 'Acme Corp' });
    expect(again.statusCode).toBe(200);
    expect(again.json().updatedAt).toBe(first.json().updatedAt);
  });

  it('updates in place and reads back', async () => {
    await admin.put('/tenants/globex', { displayName: 'Globex' });
    const updated = await admin.put('/tenants/globex', { displayName: 'Globex Corporation', managedBy: 'lanyard-operator' });
    expect(updated.statusCode).toBe(200);
    const read = await admin.get('/tenants/globex');
    expect(read.json()).toMatchObject({ displayName: 'Globex Corporation', managedBy: 'lanyard-operator' });
  });

  it('gives a new tenant a working issuer with a signing key', async () => {
    await admin.put('/tenants/initech', { displayName: 'Initech' });
    const jwks = await api.app.inject({ url: '/tenants/initech/jwks' });
    expect(jwks.statusCode).toBe(200);
    // One key per algorithm it signs with: ES256 (the default) and RS256 (OIDC Core §15.1).
    const keys = jwks.json().keys as Array<Record<string, unknown>>;
    expect(keys).toHaveLength(2);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[1]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(Buffer.from(keys[1]!.n as string, 'base64url').length * 8).toBe(2048);
    for (const key of keys) for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi']) expect(key).not.toHaveProperty(secret);
    const discovery = await api.app.inject({ url: '/tenants/initech/.well-known/openid-configuration' });
    expect(discovery.json().issuer).toBe('http://lanyard.test/tenants/initech');
  });

  it('deletes with 204, then 404 for read and delete', async () => {
    await admin.put('/tenants/hooli', { displayName: 'Hooli' });
    expect((await admin.delete('/tenants/hooli')).statusCode).toBe(204);
    expect((await admin.get('/tenants/hooli')).statusCode).toBe(404);
    expect((await admin.delete('/tenants/hooli')).statusCode).toBe(404);
    expect((await api.app.inject({ url: '/tenants/hooli/jwks' })).statusCode).toBe(404);
  });

  it('deleting a tenant removes its clients, users and keys', async () => {
    await admin.put('/tenants/umbrella', { displayName: 'Umbrella' });
    await admin.put('/tenants/umbrella/clients/app', { type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://app.example/cb'] });
    await admin.post('/tenants/umbrella/users', { email: 'a@umbrella.example' });
    await admin.delete('/tenants/umbrella');
    const counts = await api.database.query<{ n: string }>(
      `select (select count(*) from clients c join tenants t on t.id = c.tenant_id where t.name = 'umbrella')
            + (select count(*) from users u join tenants t on t.id = u.tenant_id where t.name = 'umbrella') as n`,
    );
    expect(counts.rows[0]!.n).toBe('0');
    const orphans = await api.database.query(`select 1 from signing_keys where tenant_id not in (select id from tenants)`);
    expect(orphans.rowCount).toBe(0);
  });

  it('refuses to delete the system tenant', async () => {
    const response = await admin.delete('/tenants/system');
    expect(response.statusCode).toBe(409);
    expect((await admin.get('/tenants/system')).statusCode).toBe(200);
  });

  it('answers 400 problem+json naming the field for a body that fails the schema', async () => {
    const response = await admin.put('/tenants/bad', { displayName: '' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 400, invalidParams: [{ name: 'body/displayName' }] });
    const missing = await admin.put('/tenants/bad', {});
    expect(missing.json().invalidParams[0].name).toBe('body/displayName');
    const extra = await admin.put('/tenants/bad', { displayName: 'x', colour: 'red' });
    expect(extra.json().invalidParams[0].name).toBe('body/colour');
    expect((await admin.get('/tenants/bad')).statusCode).toBe(404);
  });

  it('answers 400 for a tenant name that is not a DNS label', async () => {
    const response = await admin.put('/tenants/Not_A_Label', { displayName: 'x' });
    expect(response.statusCode).toBe(400);
    expect(response.json().invalidParams[0].name).toBe('params/tenant');
  });

  it('answers 400 for malformed JSON and 415 for a non-JSON body', async () => {
    const token = await api.adminToken();
    const malformed = await api.app.inject({
      method: 'PUT',
      url: '/admin/v1/tenants/x',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: '{"displayName":',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.headers['content-type']).toMatch(/problem\+json/);
    const wrongType = await api.app.inject({
      method: 'PUT',
      url: '/admin/v1/tenants/x',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' },
      payload: '<tenant/>',
    });
    expect(wrongType.statusCode).toBe(415);
  });
});
