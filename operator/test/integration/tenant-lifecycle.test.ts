import { isDeepStrictEqual } from 'node:util';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- tests only: the real identity service as a fixture (never shipped)
import { startTestApi, type TestApi } from '../../../services/api/test/support/test-api.js';
import { identityService, secretData } from '../support/identity-service.js';
import { startOperatorTestEnv, type OperatorTestEnv, type TestOperator } from '../support/operator-test-env.js';
import { billingClient, tenantManifest, webClient } from '../support/sample-tenant.js';
import { waitFor } from '../support/wait-for.js';

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
let api: TestApi;
let env: OperatorTestEnv;
let op: TestOperator;
const identity = identityService(() => api.baseUrl);

const readyTenant = (name: string, generation?: number) =>
  waitFor(async () => {
    const t = await env.getTenant(name);
    const ready = t?.status?.conditions?.find((c) => c.type === 'Ready');
    return ready?.status === 'True' && (generation === undefined || t!.status!.observedGeneration === generation) ? t : undefined;
  }, `${name} to be Ready`);
const billingSecret = async (namespace = 'acme') => secretData(await env.core.readNamespacedSecret({ namespace, name: 'billing-oauth' }));

/**
 * The precondition of every test after the first: acme exists and is Ready at its current
 * generation. Run in order it only waits; run alone (`-t`), it provisions acme as the first test does.
 */
async function provisioned() {
  const existing = await env.getTenant('acme');
  const tenant = existing ?? (await env.applyTenant(tenantManifest('acme', { dashboards: { enabled: true } })));
  return readyTenant('acme', tenant.metadata.generation);
}

/** Non-GET admin API requests the identity service has logged, up to a request of the test's own (so none is still in flight). */
/** Three more reconciles of an unchanged tenant write nothing to the identity service. */
async function expectQuietReconciles(op: { operator: { enqueue(name: string): void; idle(): Promise<void> } }): Promise<void> {
  const apiBefore = await apiWritesSoFar();
  for (let i = 0; i < 3; i++) {
    op.operator.enqueue('acme');
    await op.operator.idle();
  }
  expect(await apiWritesSoFar()).toBe(apiBefore);
}

async function apiWritesSoFar(): Promise<number> {
  const marker = () => api.logs.filter((l) => l.msg === 'request completed' && l.route === 'unmatched').length;
  const before = marker();
  await fetch(`${api.baseUrl}/__log-barrier`).then((r) => r.body?.cancel());
  await waitFor(async () => marker() > before, 'the identity service to log the barrier request');
  return api.logs.filter((l) => l.msg === 'request completed' && String(l.route).startsWith('/admin/') && l.method !== 'GET').length;
}

beforeAll(async () => {
  api = await startTestApi({ listen: true });
  env = await startOperatorTestEnv(() => api.baseUrl);
  await env.createNamespace('acme');
  await env.createNamespace('monitoring');
  op = await env.startOperator({ settings: { RESYNC_SECONDS: 2 } });
});

afterAll(async () => {
  await env?.close();
  await api?.close();
});

describe('an IdentityTenant is provisioned through the admin API', () => {
  it('creates the tenant and its clients; the Secret authenticates at the real token endpoint; Ready=True with observedGeneration', async () => {
    await env.applyTenant(tenantManifest('acme', { dashboards: { enabled: true } }));
    const tenant = await readyTenant('acme', 1);
    expect(tenant.metadata.finalizers).toContain('lanyard.dev/cleanup');
    // The finalizer was applied (response complete) before the first write to the identity service began.
    const finalizerDone = (await env.operatorWrites()).find((e) => e.objectRef?.resource === 'identitytenants' && e.objectRef.subresource === undefined)!.stageTimestamp;
    const firstApiWrite = api.logs.find((l) => l.msg === 'request completed' && l.method === 'PUT' && l.route === '/admin/v1/tenants/:tenant')!;
    expect(Date.parse(finalizerDone)).toBeLessThanOrEqual(Date.parse(String(firstApiWrite.time)) - Number(firstApiWrite.responseTimeMs));
    expect(tenant.status).toMatchObject({ observedGeneration: 1, issuer: `${api.baseUrl}/tenants/acme`, clientsReady: '2/2' });
    for (const c of tenant.status!.conditions!) expect(c).toMatchObject({ status: 'True', observedGeneration: 1 });

    expect((await identity.admin('GET', '/tenants/acme')).body).toMatchObject({ displayName: 'Tenant acme', managedBy: 'lanyard-operator' });
    expect((await identity.admin('GET', '/tenants/acme/clients/acme-web')).body).toMatchObject({ type: 'public', tokenEndpointAuthMethod: 'none' });
    expect((await identity.admin('GET', '/tenants/acme/clients/acme-billing')).body).toMatchObject({ type: 'confidential', scopes: ['billing:read'] });

    const data = await billingSecret();
    expect(Object.keys(data).sort()).toEqual(['CLIENT_ID', 'CLIENT_SECRET', 'ISSUER_URL']);
    expect(data.CLIENT_ID).toBe('acme-billing');
    expect(data.ISSUER_URL).toBe(`${api.baseUrl}/tenants/acme`);
    const token = await identity.clientCredentials(data.ISSUER_URL!, data.CLIENT_ID!, data.CLIENT_SECRET!);
    expect(token.status).toBe(200);
    expect(token.body.token_type).toBe('Bearer');

    const secret = await env.core.readNamespacedSecret({ namespace: 'acme', name: 'billing-oauth' });
    expect(secret.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('lanyard-operator');
    expect(secret.metadata?.ownerReferences).toEqual([expect.objectContaining({ kind: 'IdentityTenant', name: 'acme', uid: tenant.metadata.uid, controller: true })]);
    const dashboard = await env.core.readNamespacedConfigMap({ namespace: 'monitoring', name: 'lanyard-tenant-acme-dashboard' });
    expect(dashboard.metadata?.labels).toMatchObject({ grafana_dashboard: '1', 'app.kubernetes.io/managed-by': 'lanyard-operator' });
    expect(dashboard.metadata?.annotations?.grafana_folder).toBe('Lanyard tenants');
    expect(JSON.parse(dashboard.data!['lanyard-tenant-acme.json']!).panels[0].targets[0].expr).toContain('tenant="acme"');
  });

  it('shows the printer columns in a table request (kubectl get idt)', async () => {
    await provisioned();
    const response = await env.cluster.request('GET', '/apis/lanyard.dev/v1alpha1/identitytenants', {
      headers: { accept: 'application/json;as=Table;g=meta.k8s.io;v=v1' },
    });
    expect(response.status).toBe(200);
    const table = response.json<{ columnDefinitions: Array<{ name: string }>; rows: Array<{ cells: unknown[] }> }>();
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Namespace', 'Clients', 'Ready', 'Reason', 'Age']);
    expect(table.rows[0]!.cells.slice(0, 5)).toEqual(['acme', 'acme', '2/2', 'True', 'Reconciled']);
  });

  it('makes no write, to Kubernetes or to the admin API, in 20 reconciles without change', async () => {
    await provisioned();
    await op.operator.idle();
    // Both counts are taken behind a marker request, so nothing still in flight is missed or miscounted.
    const kubeBefore = (await env.operatorWrites()).length;
    const apiBefore = await apiWritesSoFar();
    const reconcilesBefore = await op.reconciles();
    for (let i = 0; i < 20; i++) {
      op.operator.enqueue('acme');
      await op.operator.idle();
    }
    expect(await op.reconciles()).toBeGreaterThanOrEqual(reconcilesBefore + 20);
    expect((await env.operatorWrites()).slice(kubeBefore).map((e) => `${e.verb} ${e.requestURI}`)).toEqual([]);
    expect(await apiWritesSoFar()).toBe(apiBefore);
  });

  it('updates the client on a spec change and keeps its secret', async () => {
    await provisioned();
    const before = await billingSecret();
    const changed = await env.applyTenant(tenantManifest('acme', { dashboards: { enabled: true }, clients: [webClient(), billingClient({ scopes: ['billing:read', 'billing:write'] })] }));
    await readyTenant('acme', changed.metadata.generation);
    expect((await identity.admin<{ scopes: string[] }>('GET', '/tenants/acme/clients/acme-billing')).body.scopes.sort()).toEqual(['billing:read', 'billing:write']);
    expect(await billingSecret()).toEqual(before);
    expect((await identity.clientCredentials(before.ISSUER_URL!, before.CLIENT_ID!, before.CLIENT_SECRET!)).status).toBe(200);
  });

  it('carries spec.accounts to the tenant in the admin API, repairs a hand edit of it, and clears it when removed', async () => {
    await provisioned();
    const withPolicy = await env.applyTenant(
      tenantManifest('acme', {
        dashboards: { enabled: true },
        accounts: { signup: 'InviteOnly', requireVerifiedEmail: false, passwordMinLength: 16, emailFromName: 'Acme Sign-in', emailFromAddress: 'no-reply@acme.example' },
      }),
    );
    await readyTenant('acme', withPolicy.metadata.generation);
    const expected = { signup: 'invite-only', requireVerifiedEmail: false, passwordMinLength: 16, emailFromName: 'Acme Sign-in', emailFromAddress: 'no-reply@acme.example' };
    const accountsNow = async () => (await identity.admin<{ accounts: unknown }>('GET', '/tenants/acme')).body.accounts;
    expect(await accountsNow()).toEqual(expected);

    // An unchanged policy is no drift: reconciles make no admin API write.
    await op.operator.idle();
    await expectQuietReconciles(op);

    // Changed by hand (display name untouched): the periodic resync puts the declared policy back.
    const edited = await identity.admin('PUT', '/tenants/acme', { displayName: 'Tenant acme', managedBy: 'lanyard-operator', accounts: { signup: 'open', passwordMinLength: 8 } });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    await waitFor(async () => isDeepStrictEqual(await accountsNow(), expected), 'the account policy to be repaired');

    // Removed from the spec: the declarative PUT leaves no policy set (the identity service's defaults).
    const withoutPolicy = await env.applyTenant(tenantManifest('acme', { dashboards: { enabled: true } }));
    await readyTenant('acme', withoutPolicy.metadata.generation);
    expect(await accountsNow()).toEqual({});
  });

  it('carries spec.mfa to the tenant and a client\'s requireMfa to the client in the admin API, repairs hand edits of both, and clears them when removed', async () => {
    await provisioned();
    const withMfa = await env.applyTenant(
      tenantManifest('acme', {
        dashboards: { enabled: true },
        mfa: { policy: 'Required', enrolmentGraceDays: 0 },
        clients: [webClient({ requireMfa: true }), billingClient()],
      }),
    );
    await readyTenant('acme', withMfa.metadata.generation);
    const expected = { policy: 'required', enrolmentGraceDays: 0 };
    const mfaNow = async () => (await identity.admin<{ mfa: unknown }>('GET', '/tenants/acme')).body.mfa;
    const requireMfaNow = async (clientId: string) => (await identity.admin<{ requireMfa: boolean }>('GET', `/tenants/acme/clients/${clientId}`)).body.requireMfa;
    expect(await mfaNow()).toEqual(expected);
    expect(await requireMfaNow('acme-web')).toBe(true);
    expect(await requireMfaNow('acme-billing')).toBe(false);

    // Unchanged: reconciles make no admin API write.
    await op.operator.idle();
    await expectQuietReconciles(op);

    // Changed by hand: the periodic resync puts the declared policy and the client's flag back.
    const editedTenant = await identity.admin('PUT', '/tenants/acme', { displayName: 'Tenant acme', managedBy: 'lanyard-operator', mfa: { policy: 'optional' } });
    expect(editedTenant.status, JSON.stringify(editedTenant.body)).toBe(200);
    const editedClient = await identity.admin('PUT', '/tenants/acme/clients/acme-web', {
      type: 'public',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['https://app.example.test/callback'],
      requireMfa: false,
    });
    expect(editedClient.status, JSON.stringify(editedClient.body)).toBe(200);
    await waitFor(async () => isDeepStrictEqual(await mfaNow(), expected), 'the second-factor policy to be repaired');
    await waitFor(async () => (await requireMfaNow('acme-web')) === true, 'the web client\'s requireMfa to be repaired');

    // Removed from the spec: no policy set (the identity service's defaults), and the client no longer requires a second factor.
    const withoutMfa = await env.applyTenant(tenantManifest('acme', { dashboards: { enabled: true } }));
    await readyTenant('acme', withoutMfa.metadata.generation);
    expect(await mfaNow()).toEqual({});
    expect(await requireMfaNow('acme-web')).toBe(false);
  });

  it('repairs drift made directly in the identity service on the periodic resync', async () => {
    await provisioned();
    const drifted = await identity.admin('PUT', '/tenants/acme/clients/acme-web', {
      type: 'public',
      grantTypes: ['authorization_code'],
      redirectUris: ['https://evil.example.test/callback'],
    });
    expect(drifted.status).toBe(200);
    await waitFor(async () => {
      const web = (await identity.admin<{ redirectUris: string[]; grantTypes: string[] }>('GET', '/tenants/acme/clients/acme-web')).body;
      return web.redirectUris[0] === 'https://app.example.test/callback' && web.grantTypes.length === 2;
    }, 'the web client to be repaired');
    await identity.admin('PUT', '/tenants/acme', { displayName: 'Renamed by hand', managedBy: 'lanyard-operator' });
    await waitFor(async () => (await identity.admin('GET', '/tenants/acme')).body.displayName === 'Tenant acme', 'the tenant to be repaired');
  });

  it('replaces a deleted Secret with working credentials', async () => {
    await provisioned();
    const before = await billingSecret();
    await env.core.deleteNamespacedSecret({ namespace: 'acme', name: 'billing-oauth' });
    const after = await waitFor(async () => {
      const data = await billingSecret().catch(() => undefined);
      return data?.CLIENT_SECRET !== undefined && data.CLIENT_SECRET !== before.CLIENT_SECRET ? data : undefined;
    }, 'the Secret to be restored');
    expect(after.CLIENT_ID).toBe('acme-billing');
    await waitFor(async () => (await identity.clientCredentials(after.ISSUER_URL!, after.CLIENT_ID!, after.CLIENT_SECRET!)).status === 200, 'the new secret to authenticate');
  });

  it('restores an edited Secret: CLIENT_ID and ISSUER_URL are put back, an edited CLIENT_SECRET is replaced', async () => {
    await provisioned();
    const before = await billingSecret();
    await env.core.patchNamespacedSecret(
      { namespace: 'acme', name: 'billing-oauth', body: { stringData: { CLIENT_ID: 'tampered', ISSUER_URL: 'https://evil.example.test' } } },
      mergePatch,
    );
    const restored = await waitFor(async () => {
      const data = await billingSecret();
      return data.CLIENT_ID === 'acme-billing' && data.ISSUER_URL === before.ISSUER_URL ? data : undefined;
    }, 'CLIENT_ID and ISSUER_URL to be restored');
    expect(restored.CLIENT_SECRET).toBe(before.CLIENT_SECRET);

    await env.core.patchNamespacedSecret({ namespace: 'acme', name: 'billing-oauth', body: { stringData: { CLIENT_SECRET: 'x'.repeat(40) } } }, mergePatch);
    const replaced = await waitFor(async () => {
      const data = await billingSecret();
      return data.CLIENT_SECRET !== 'x'.repeat(40) && data.CLIENT_SECRET !== before.CLIENT_SECRET ? data : undefined;
    }, 'the edited CLIENT_SECRET to be replaced');
    // The replacement is stored a moment before it is registered (ADR 0002: store first, never lose it).
    await waitFor(async () => (await identity.clientCredentials(replaced.ISSUER_URL!, replaced.CLIENT_ID!, replaced.CLIENT_SECRET!)).status === 200, 'the replacement to authenticate');
    expect((await identity.clientCredentials(replaced.ISSUER_URL!, replaced.CLIENT_ID!, 'x'.repeat(40))).status).toBe(401);
  });

  it('deletes a removed client together with its Secret', async () => {
    await provisioned();
    const removed = await env.applyTenant(tenantManifest('acme', { dashboards: { enabled: true }, clients: [webClient()] }));
    const tenant = await readyTenant('acme', removed.metadata.generation);
    expect(tenant.status?.clientsReady).toBe('1/1');
    await waitFor(async () => (await identity.admin('GET', '/tenants/acme/clients/acme-billing')).status === 404, 'the client to be deleted');
    await waitFor(async () => (await env.core.readNamespacedSecret({ namespace: 'acme', name: 'billing-oauth' }).then(() => false, (e: { code?: number }) => e.code === 404)), 'the Secret to be deleted');
    expect((await identity.admin('GET', '/tenants/acme/clients/acme-web')).status).toBe(200);
  });
});
