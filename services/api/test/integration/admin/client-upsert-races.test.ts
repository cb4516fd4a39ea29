import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { startTestApi, type TestApi } from '../../support/test-api.js';

const spec = { type: 'confidential', grantTypes: ['client_credentials'], scopes: ['reports:read'], secret: 'race-secret-0123456789abcdefghijklmnopqrstuv' };

/** PUT is declarative: sending the same registration at once from several places must not fail. */
describe('admin API: concurrent first writes of one resource', () => {
  let api: TestApi;
  let admin: AdminClient;
  beforeAll(async () => {
    api = await startTestApi();
    admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
  });
  afterAll(() => api.close());

  it('ten simultaneous first PUTs of a new client: one creates it, the others update it, none fails', async () => {
    for (let round = 0; round < 5; round += 1) {
      const responses = await Promise.all(Array.from({ length: 10 }, () => admin.put(`/tenants/acme/clients/race-${round}`, spec)));
      const statuses = responses.map((r) => r.statusCode).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
      const listed = (await admin.get(`/tenants/acme/clients/race-${round}`)).json() as { clientId: string; secrets: unknown[] };
      expect(listed.clientId).toBe(`race-${round}`);
      expect(listed.secrets).toHaveLength(1);
    }
    expect(api.logs.filter((line) => line.msg === 'request failed')).toEqual([]);
  });

  it('ten simultaneous first PUTs of a new tenant: one creates it (with its signing key), the others succeed too', async () => {
    const responses = await Promise.all(Array.from({ length: 10 }, () => admin.put('/tenants/racing', { displayName: 'Racing' })));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const jwks = await api.app.inject('/tenants/racing/jwks');
    expect(jwks.statusCode).toBe(200);
    expect((jwks.json() as { keys: unknown[] }).keys.length).toBeGreaterThan(0);
  });
});
