import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- tests only: the real identity service as a fixture (never shipped)
import { startTestApi, type TestApi } from '../../../services/api/test/support/test-api.js';
import { identityService, secretData } from '../support/identity-service.js';
import { startOperatorTestEnv, type OperatorTestEnv } from '../support/operator-test-env.js';
import { billingClient, tenantManifest, webClient } from '../support/sample-tenant.js';
import { waitFor } from '../support/wait-for.js';

let api: TestApi;
let env: OperatorTestEnv;
const identity = identityService(() => api.baseUrl);
const ready = (name: string) => waitFor(async () => (await env.getTenant(name))?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', `${name} Ready`);
const deleteTenant = (name: string) => env.custom.deleteClusterCustomObject({ group: 'lanyard.dev', version: 'v1alpha1', plural: 'identitytenants', name });
const gone = (name: string) => waitFor(async () => (await env.getTenant(name)) === undefined, `${name} to be gone`);
const secretStatus = (namespace: string) =>
  env.core.readNamespacedSecret({ namespace, name: 'billing-oauth' }).then(
    (s) => s,
    (e: { code?: number }) => (e.code === 404 ? undefined : Promise.reject(e)),
  );

beforeAll(async () => {
  api = await startTestApi({ listen: true });
  env = await startOperatorTestEnv(() => api.baseUrl);
  for (const ns of ['del', 'orph', 'monitoring']) await env.createNamespace(ns);
  await env.startOperator();
});

afterAll(async () => {
  await env?.close();
  await api?.close();
});

describe('deleting an IdentityTenant', () => {
  it('with deletionPolicy Delete: removes the tenant from the identity service and deletes its Secrets and dashboard', async () => {
    await env.applyTenant(tenantManifest('del', { deletionPolicy: 'Delete', dashboards: { enabled: true } }));
    await ready('del');
    const data = secretData(await secretStatus('del'));
    await deleteTenant('del');
    await gone('del');
    expect((await identity.admin('GET', '/tenants/del')).status).toBe(404);
    expect(await secretStatus('del')).toBeUndefined();
    await expect(env.core.readNamespacedConfigMap({ namespace: 'monitoring', name: 'lanyard-tenant-del-dashboard' })).rejects.toMatchObject({ code: 404 });
    expect((await identity.clientCredentials(data.ISSUER_URL!, data.CLIENT_ID!, data.CLIENT_SECRET!)).status).not.toBe(200);
  });

  it('with deletionPolicy Orphan: leaves the tenant, its clients and working Secrets, without owner references', async () => {
    await env.applyTenant(tenantManifest('orph', { deletionPolicy: 'Orphan', dashboards: { enabled: true } }));
    await ready('orph');
    const before = secretData(await secretStatus('orph'));
    await deleteTenant('orph');
    await gone('orph');
    expect((await identity.admin('GET', '/tenants/orph')).body).toMatchObject({ managedBy: 'lanyard-operator' });
    expect((await identity.admin('GET', '/tenants/orph/clients/orph-web')).status).toBe(200);
    const secret = (await secretStatus('orph'))!;
    expect(secret.metadata?.ownerReferences ?? []).toEqual([]);
    expect(secretData(secret)).toEqual(before);
    expect((await identity.clientCredentials(before.ISSUER_URL!, before.CLIENT_ID!, before.CLIENT_SECRET!)).status).toBe(200);
    const dashboard = await env.core.readNamespacedConfigMap({ namespace: 'monitoring', name: 'lanyard-tenant-orph-dashboard' });
    expect(dashboard.metadata?.ownerReferences ?? []).toEqual([]);
    expect(dashboard.data?.['lanyard-tenant-orph.json']).toContain('tenant=\\"orph\\"');
  });

  it('re-adopts what an Orphan deletion left behind when the tenant is declared again, keeping the credentials', async () => {
    const before = secretData(await secretStatus('orph'));
    const tenant = await env.applyTenant(tenantManifest('orph', { clients: [webClient(), billingClient()] }));
    await ready('orph');
    const secret = (await secretStatus('orph'))!;
    expect(secret.metadata?.ownerReferences).toEqual([expect.objectContaining({ uid: tenant.metadata.uid, controller: true })]);
    expect(secretData(secret)).toEqual(before);
  });
});
