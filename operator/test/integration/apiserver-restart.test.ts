import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- tests only
import { startTestApi, type TestApi } from '../../../services/api/test/support/test-api.js';
import { identityService, secretData } from '../support/identity-service.js';
import { startOperatorTestEnv, type OperatorTestEnv, type TestOperator } from '../support/operator-test-env.js';
import { billingClient, tenantManifest } from '../support/sample-tenant.js';
import { waitFor } from '../support/wait-for.js';

let api: TestApi;
let env: OperatorTestEnv;
let op: TestOperator;

const ready = async (name: string, generation: number) => {
  const condition = (await env.getTenant(name))?.status?.conditions?.find((c) => c.type === 'Ready');
  return condition?.status === 'True' && condition.observedGeneration === generation;
};

beforeAll(async () => {
  api = await startTestApi({ listen: true });
  env = await startOperatorTestEnv(() => api.baseUrl);
  await env.createNamespace('before');
  op = await env.startOperator({ settings: { BACKOFF_BASE_MILLISECONDS: 200, BACKOFF_MAX_SECONDS: 3 } });
  await env.applyTenant(tenantManifest('before', { clients: [billingClient()] }));
  await waitFor(() => ready('before', 1), 'before to be Ready');
}, 120_000);

afterAll(async () => {
  await env?.close();
  await api?.close();
});

/** docs/reliability.md: the operator rides out a control-plane restart on its own. */
describe('a kube-apiserver restart', () => {
  it('ends every watch; the operator steps down, re-lists, takes the Lease again, and reconciles what changed during and after it', async () => {
    await op.operator.idle();
    await env.cluster.restartApiServer(3_000);
    // Right after the restart: a change to a known tenant and a brand-new tenant in a new namespace.
    await env.applyTenant(tenantManifest('before', { displayName: 'Renamed after the restart', clients: [billingClient()] }));
    await env.createNamespace('after');
    await env.applyTenant(tenantManifest('after', { clients: [billingClient()] }));

    await waitFor(() => ready('before', 2), 'before to reconcile generation 2', 60_000);
    await waitFor(() => ready('after', 1), 'after to be Ready', 60_000);
    const identity = identityService(() => api.baseUrl);
    expect((await identity.admin<{ displayName: string }>('GET', '/tenants/before')).body.displayName).toBe('Renamed after the restart');
    // The new tenant's Secret holds working credentials.
    const data = secretData(await env.core.readNamespacedSecret({ namespace: 'after', name: 'billing-oauth' }));
    expect((await identity.clientCredentials(data.ISSUER_URL!, data.CLIENT_ID!, data.CLIENT_SECRET!)).status).toBe(200);
    expect(op.operator.ready).toBe(true);
    // Down longer than the renew deadline (2 s of a 3 s Lease): it stepped down and, with the
    // apiserver back, took the Lease again, in the same process (server.ts no longer exits on it).
    const messages = op.lines.map((line) => line.msg);
    const lost = messages.indexOf('lost the Lease: reconciles stopped; campaigning again');
    expect(lost).toBeGreaterThan(-1);
    expect(messages.slice(lost)).toContain('became leader');
    expect(op.operator.isLeader).toBe(true);
    // The watch ends are logged as such, not as crashes.
    expect(op.lines.filter((line) => line.level === 'fatal')).toEqual([]);
  }, 150_000);
});
