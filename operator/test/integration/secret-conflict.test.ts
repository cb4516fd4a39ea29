import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- tests only: the real identity service as a fixture (never shipped)
import { startTestApi, type TestApi } from '../../../services/api/test/support/test-api.js';
import { identityService, secretData } from '../support/identity-service.js';
import { startOperatorTestEnv, type OperatorTestEnv } from '../support/operator-test-env.js';
import { tenantManifest, webClient } from '../support/sample-tenant.js';
import { waitFor } from '../support/wait-for.js';

let api: TestApi;
let env: OperatorTestEnv;
const identity = identityService(() => api.baseUrl);
const condition = async (name: string, type: string) => (await env.getTenant(name))?.status?.conditions?.find((c) => c.type === type);

beforeAll(async () => {
  api = await startTestApi({ listen: true });
  env = await startOperatorTestEnv(() => api.baseUrl);
  await env.createNamespace('clash');
  await env.startOperator();
});

afterAll(async () => {
  await env?.close();
  await api?.close();
});

describe('objects the operator does not own', () => {
  it('never overwrites a foreign Secret: SecretConflict, the Secret untouched, other clients still served', async () => {
    const foreign = await env.core.createNamespacedSecret({
      namespace: 'clash',
      body: { metadata: { name: 'billing-oauth', labels: { team: 'payments' } }, stringData: { CLIENT_SECRET: 'hand-made' } },
    });
    await env.applyTenant(tenantManifest('clash'));
    await waitFor(async () => (await condition('clash', 'Ready'))?.reason === 'SecretConflict', 'Ready=False SecretConflict');
    expect(await condition('clash', 'SecretsReady')).toMatchObject({ status: 'False', reason: 'SecretConflict' });
    expect((await env.getTenant('clash'))?.status?.clientsReady).toBe('1/2');
    const after = await env.core.readNamespacedSecret({ namespace: 'clash', name: 'billing-oauth' });
    expect(after.metadata?.resourceVersion).toBe(foreign.metadata?.resourceVersion);
    expect(after.metadata?.managedFields?.map((f) => f.manager)).not.toContain('lanyard-operator');
    // Nothing was registered for the conflicting client; the other one is served.
    expect((await identity.admin('GET', '/tenants/clash/clients/clash-billing')).status).toBe(404);
    expect((await identity.admin('GET', '/tenants/clash/clients/clash-web')).status).toBe(200);

    // Once the owner removes it, the operator converges on its own (retry with backoff).
    await env.core.deleteNamespacedSecret({ namespace: 'clash', name: 'billing-oauth' });
    await waitFor(async () => (await condition('clash', 'Ready'))?.status === 'True', 'Ready after the conflict is resolved', 20_000);
    const data = secretData(await env.core.readNamespacedSecret({ namespace: 'clash', name: 'billing-oauth' }));
    expect((await identity.clientCredentials(data.ISSUER_URL!, data.CLIENT_ID!, data.CLIENT_SECRET!)).status).toBe(200);
  });

  it('never takes over a tenant created in the identity service by someone else: TenantConflict', async () => {
    expect((await identity.admin('PUT', '/tenants/handmade', { displayName: 'Made by hand' })).status).toBe(201);
    await env.createNamespace('handmade');
    await env.applyTenant(tenantManifest('handmade', { clients: [webClient()] }));
    await waitFor(async () => (await condition('handmade', 'Ready'))?.reason === 'TenantConflict', 'Ready=False TenantConflict');
    expect((await identity.admin('GET', '/tenants/handmade')).body).toMatchObject({ displayName: 'Made by hand', managedBy: null });
    expect((await identity.admin('GET', '/tenants/handmade/clients/handmade-web')).status).toBe(404);
    // Deleting the IdentityTenant (policy Delete) must not delete the tenant it never owned.
    await env.custom.deleteClusterCustomObject({ group: 'lanyard.dev', version: 'v1alpha1', plural: 'identitytenants', name: 'handmade' });
    await waitFor(async () => (await env.getTenant('handmade')) === undefined, 'handmade to be gone');
    expect((await identity.admin('GET', '/tenants/handmade')).status).toBe(200);
  });
});
