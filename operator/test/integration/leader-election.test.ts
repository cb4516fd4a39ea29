import { CoordinationV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- tests only: the real identity service as a fixture (never shipped)
import { startTestApi, type TestApi } from '../../../services/api/test/support/test-api.js';
import { OPERATOR_USER, startOperatorTestEnv, type OperatorTestEnv, type TestOperator } from '../support/operator-test-env.js';
import { billingClient, tenantManifest } from '../support/sample-tenant.js';
import { waitFor } from '../support/wait-for.js';

const STANDBY_USER = 'system:serviceaccount:lanyard:lanyard-operator-standby';
let api: TestApi;
let env: OperatorTestEnv;
let leader: TestOperator;
let standby: TestOperator;
const standbyRequests: string[] = [];

const writesBy = async (user: string) => (await env.auditEvents()).filter((e) => e.user.username === user).map((e) => `${e.verb} ${e.objectRef?.resource}`);
/** Lease renewals by the leader so far; polled, so read without the marker write of `env.auditEvents()`. */
const renewals = async () => (await env.cluster.auditEvents()).filter((e) => e.user.username === OPERATOR_USER && e.verb === 'update' && e.objectRef?.resource === 'leases').length;
const lease = () => env.cluster.request('GET', '/apis/coordination.k8s.io/v1/namespaces/lanyard/leases/lanyard-operator').then((r) => r.json<{ spec: { holderIdentity: string; leaseTransitions?: number } }>());
let leaderRunning = true;

/** Leadership moves to the standby: the second test does it, and a later test run alone (`-t`) needs it done. */
async function handOverToStandby(): Promise<void> {
  if (leaderRunning) {
    leaderRunning = false;
    await leader.stop();
  }
  await waitFor(async () => standby.operator.isLeader, 'the standby to lead', 10_000);
}

beforeAll(async () => {
  api = await startTestApi({ listen: true });
  env = await startOperatorTestEnv(() => api.baseUrl);
  await env.createNamespace('ha');
  // The standby runs as its own ServiceAccount with the same roles, so the audit log tells the two apart.
  for (const binding of [
    { kind: 'ClusterRoleBinding', path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', roleKind: 'ClusterRole', role: 'lanyard-operator' },
    { kind: 'RoleBinding', path: '/apis/rbac.authorization.k8s.io/v1/namespaces/lanyard/rolebindings', roleKind: 'Role', role: 'lanyard-operator-leader-election' },
  ]) {
    const created = await env.cluster.request('POST', binding.path, {
      body: {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: binding.kind,
        metadata: { name: `standby-${binding.role}`, namespace: 'lanyard' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: binding.roleKind, name: binding.role },
        subjects: [{ kind: 'ServiceAccount', name: 'lanyard-operator-standby', namespace: 'lanyard' }],
      },
    });
    expect(created.status, created.text).toBe(201);
  }
  const standbyKubeConfig = new KubeConfig();
  standbyKubeConfig.loadFromString(await env.cluster.serviceAccountKubeconfig('lanyard', 'lanyard-operator-standby'));

  leader = await env.startOperator({ identity: 'operator-a' });
  const counting: typeof fetch = (input, init) => {
    standbyRequests.push(`${init?.method ?? 'GET'} ${String(input)}`);
    return fetch(input, init);
  };
  standby = await env.startOperator({ identity: 'operator-b', kubeConfig: standbyKubeConfig, fetch: counting, waitForLeadership: false });
});

afterAll(async () => {
  await env?.close();
  await api?.close();
});

describe('two operator instances and a Lease', () => {
  it('only the Lease holder reconciles and writes; the standby writes nothing, not even to the Lease', async () => {
    await waitFor(async () => standby.operator.ready, 'the standby to have synced its watches');
    expect((await lease()).spec.holderIdentity).toBe('operator-a');
    await env.applyTenant(tenantManifest('ha', { clients: [billingClient()] }));
    await waitFor(async () => (await env.getTenant('ha'))?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 'ha Ready');
    // Several renewal rounds (every 400 ms), each one a chance for the standby to misbehave.
    const renewed = await renewals();
    await waitFor(async () => (await renewals()) >= renewed + 7, 'seven more lease renewals by the leader', 15_000);
    expect(leader.operator.isLeader).toBe(true);
    expect(standby.operator.isLeader).toBe(false);
    expect(await writesBy(OPERATOR_USER)).toEqual(expect.arrayContaining(['patch identitytenants', 'patch secrets', 'update leases']));
    expect(await writesBy(STANDBY_USER)).toEqual([]);
    expect(standbyRequests).toEqual([]);
    expect(await standby.reconciles()).toBe(0);
  });

  it('the standby takes over when the leader stops (and releases the Lease), then reconciles', async () => {
    await handOverToStandby();
    expect((await lease()).spec).toMatchObject({ holderIdentity: 'operator-b', leaseTransitions: 1 });
    const failedOver = await env.applyTenant(tenantManifest('ha', { displayName: 'Failed over', clients: [billingClient()] }));
    await waitFor(async () => (await env.getTenant('ha'))?.status?.observedGeneration === failedOver.metadata.generation, 'the new leader to reconcile');
    expect(await writesBy(STANDBY_USER)).toEqual(expect.arrayContaining(['update leases', 'patch identitytenants']));
    expect(standbyRequests.some((r) => r.startsWith('PUT ') && r.endsWith('/admin/v1/tenants/ha'))).toBe(true);
  });

  it('a leader that loses the Lease stops leading, and a lease that is not renewed expires', async () => {
    await handOverToStandby();
    // The Lease is taken away by force (as if the leader were partitioned): the new holder wins the
    // compare-and-swap and the old holder stops leading at its next attempt.
    const coordination = new KubeConfig();
    coordination.loadFromString(env.cluster.adminKubeconfig);
    const api = coordination.makeApiClient(CoordinationV1Api);
    await waitFor(async () => {
      // Compare-and-swap against the renewing leader: retry until this write wins a round.
      const current = await api.readNamespacedLease({ namespace: 'lanyard', name: 'lanyard-operator' });
      await api.replaceNamespacedLease({ namespace: 'lanyard', name: 'lanyard-operator', body: { ...current, spec: { ...current.spec, holderIdentity: 'someone-else' } } });
      return true;
    }, 'the Lease to be taken over', 10_000, 50);
    await waitFor(async () => !standby.operator.isLeader, 'operator-b to step down', 10_000);
    // It stays a candidate: the foreign holder never renews, so after the lease duration it takes over again.
    await waitFor(async () => standby.operator.isLeader, 'operator-b to lead again after the lease expired', 15_000);
  });
});
