import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';

interface Jwks {
  readonly keys: ReadonlyArray<{ kid: string; alg: string; kty: string }>;
}

/**
 * A new tenant has its ES256 key from the transaction that creates it; its RS256 key (an RSA-2048
 * key, ~150 ms of CPU) comes with the first load of its key ring, here its first JWKS request, so
 * creating hundreds of tenants at once does not pay for hundreds of RSA keys up front. Two replicas
 * loading the ring at once still create exactly one (the rotation's advisory lock).
 */
describe('a new tenant\'s signing keys', () => {
  let api: TestApi;
  let replica: TestApi;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi();
    replica = await startTestApi({ replicaOf: api });
    token = await api.adminToken();
  });
  afterAll(async () => {
    await replica?.close();
    await api?.close();
  });

  const createTenant = async (name: string) => {
    const response = await api.app.inject({ method: 'PUT', url: `/admin/v1/tenants/${name}`, headers: { authorization: `Bearer ${token}` }, payload: { displayName: name } });
    expect(response.statusCode).toBe(201);
  };
  const storedAlgs = async (name: string) =>
    (await api.database.query<{ alg: string }>(`select k.alg from signing_keys k join tenants t on t.id = k.tenant_id where t.name = $1 order by k.alg`, [name])).rows.map((r) => r.alg);
  const jwks = async (on: TestApi, name: string) => {
    const response = await on.app.inject({ url: `/tenants/${name}/jwks` });
    expect(response.statusCode).toBe(200);
    return response.json() as Jwks;
  };

  it('is created with its ES256 key only, and publishes both once its key ring is first used', async () => {
    await createTenant('fresh');
    expect(await storedAlgs('fresh')).toEqual(['ES256']);

    const published = await jwks(api, 'fresh');
    expect(published.keys.map((k) => `${k.kty}/${k.alg}`).sort()).toEqual(['EC/ES256', 'RSA/RS256']);
    expect(await storedAlgs('fresh')).toEqual(['ES256', 'RS256']);
    // Stable afterwards: the same keys, on the other replica too.
    expect((await jwks(replica, 'fresh')).keys.map((k) => k.kid).sort()).toEqual(published.keys.map((k) => k.kid).sort());
  });

  it('creates one RS256 key when two replicas first use the key ring at the same moment', async () => {
    await createTenant('raced');
    const [a, b] = await Promise.all([jwks(api, 'raced'), jwks(replica, 'raced')]);
    expect(await storedAlgs('raced')).toEqual(['ES256', 'RS256']);
    const rsa = (set: Jwks) => set.keys.filter((k) => k.alg === 'RS256').map((k) => k.kid);
    expect(rsa(a)).toHaveLength(1);
    expect(rsa(a)).toEqual(rsa(b));
  });
});
