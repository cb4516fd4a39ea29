import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CoreV1Api, CustomObjectsApi, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import type { IdentityTenant } from '@lanyard/crd';
import { Registry } from '@lanyard/metrics';
import { startKubeTestCluster, testSecrets, type AuditEvent, type KubeTestCluster } from '@lanyard/testing';
import { parseAllDocuments } from 'yaml';
import { createOperator, type Operator, type OperatorSettings } from '../../src/create-operator.js';
import { captureLogger } from './capture-logger.js';
import { waitFor } from './wait-for.js';

const deployDir = new URL('../../deploy/', import.meta.url);
/** The identity the operator runs as in every integration test: the ServiceAccount of deploy/rbac.yaml. */
export const OPERATOR_USER = 'system:serviceaccount:lanyard:lanyard-operator';

/** One operator instance started by a test. */
export interface TestOperator {
  readonly operator: Operator;
  readonly registry: Registry;
  /** Its log lines, parsed. */
  readonly lines: Array<Record<string, unknown>>;
  /** identity_operator_reconcile_total, all results. */
  reconciles(): Promise<number>;
  stop(): Promise<void>;
}

/** Options of {@link OperatorTestEnv.startOperator}. */
export interface StartOperatorOptions {
  /** POD_NAME, the Lease identity. @default operator-0 */
  readonly identity?: string;
  readonly settings?: Partial<OperatorSettings>;
  /** Wait until it holds the Lease. @default true */
  readonly waitForLeadership?: boolean;
  /** The operator's clock (to reach a rotation period without waiting days). */
  readonly now?: () => Date;
  /** Run as another identity (default: the ServiceAccount of deploy/rbac.yaml). */
  readonly kubeConfig?: KubeConfig;
  /** The operator's fetch towards the identity service (to count its requests). */
  readonly fetch?: typeof fetch;
}

/** A real kube-apiserver with the CRD and RBAC installed, and helpers around it. */
export interface OperatorTestEnv {
  readonly cluster: KubeTestCluster;
  readonly core: CoreV1Api;
  readonly custom: CustomObjectsApi;
  readonly objects: KubernetesObjectApi;
  /** Kubeconfig of the operator's ServiceAccount (bound to exactly deploy/rbac.yaml). */
  readonly operatorKubeConfig: KubeConfig;
  startOperator(options?: StartOperatorOptions): Promise<TestOperator>;
  createNamespace(name: string): Promise<void>;
  /** Server-side apply as a person would (`kubectl apply --server-side`). */
  applyTenant(manifest: object): Promise<IdentityTenant>;
  getTenant(name: string): Promise<IdentityTenant | undefined>;
  /**
   * Every write audited so far, up to and including a marker write made now: every request that
   * completed before this call is in the list, without sleeping for the audit log to catch up.
   */
  auditEvents(): Promise<AuditEvent[]>;
  /** Writes (create/update/patch/delete) by the operator's ServiceAccount, Lease renewals excluded, up to now (see {@link auditEvents}). */
  operatorWrites(): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

/** Settings of test operators: fast backoff, short leases, no periodic resync unless a test asks. */
export function testOperatorSettings(apiUrl: string, identity: string, overrides: Partial<OperatorSettings> = {}): OperatorSettings {
  return {
    LANYARD_API_URL: apiUrl,
    LANYARD_ADMIN_CLIENT_ID: testSecrets.bootstrapClientId,
    LANYARD_ADMIN_CLIENT_SECRET: testSecrets.bootstrapClientSecret,
    LANYARD_API_TIMEOUT_SECONDS: 5,
    RESYNC_SECONDS: 3600,
    RECONCILE_WORKERS: 2,
    BACKOFF_BASE_MILLISECONDS: 100,
    BACKOFF_MAX_SECONDS: 2,
    LEADER_ELECTION_ENABLED: true,
    LEASE_NAMESPACE: 'lanyard',
    LEASE_NAME: 'lanyard-operator',
    LEASE_DURATION_SECONDS: 3,
    POD_NAME: identity,
    DASHBOARDS_NAMESPACE: 'monitoring',
    SECRET_ROTATION_DAYS: 90,
    SECRET_ROTATION_GRACE_SECONDS: 86_400,
    ...overrides,
  };
}

/**
 * Starts etcd + kube-apiserver, installs the committed operator/deploy/crd.yaml and rbac.yaml exactly
 * as shipped, and mints a token for the operator's ServiceAccount. The identity service is passed
 * in by URL, so a test can stop and restart it.
 */
export async function startOperatorTestEnv(apiUrl: () => string): Promise<OperatorTestEnv> {
  const cluster = await startKubeTestCluster();
  try {
    return await installOperatorEnv(cluster, apiUrl);
  } catch (error) {
    // A failed setup leaves no apiserver behind (afterAll never sees an env to close).
    await cluster.stop();
    throw error;
  }
}

async function installOperatorEnv(cluster: KubeTestCluster, apiUrl: () => string): Promise<OperatorTestEnv> {
  const admin = new KubeConfig();
  admin.loadFromString(cluster.adminKubeconfig);
  const core = admin.makeApiClient(CoreV1Api);
  const custom = admin.makeApiClient(CustomObjectsApi);
  const objects = KubernetesObjectApi.makeApiClient(admin);

  const manifests = (file: string) => parseAllDocuments(readFileSync(fileURLToPath(new URL(file, deployDir)), 'utf8')).map((d) => d.toJS() as KubernetesObject);
  // A raw POST: client-node's serializer would drop the x-kubernetes-* keys of a typed CRD body.
  for (const crd of manifests('crd.yaml')) {
    const created = await cluster.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', { body: crd });
    if (created.status !== 201) throw new Error(`installing the CRD failed: ${created.status} ${created.text}`);
  }
  await waitFor(
    // The list, not discovery: right after establishing, storage may still answer 429.
    async () => (await cluster.request('GET', '/apis/lanyard.dev/v1alpha1/identitytenants')).status === 200,
    'the IdentityTenant CRD to be served',
  );
  await core.createNamespace({ body: { metadata: { name: 'lanyard' } } });
  for (const object of manifests('rbac.yaml')) await objects.create(object);
  const operatorKubeConfig = new KubeConfig();
  operatorKubeConfig.loadFromString(await cluster.serviceAccountKubeconfig('lanyard', 'lanyard-operator'));

  const running = new Set<TestOperator>();
  let barriers = 0;
  // A write of the test's own that the audit log must show: the apiserver logs a request once it
  // completed, so everything that completed before the marker was sent is logged before it.
  const auditEvents = async () => {
    const name = `audit-barrier-${++barriers}`;
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name } } });
    return waitFor(async () => {
      const events = await cluster.auditEvents();
      return events.some((e) => e.objectRef?.resource === 'configmaps' && e.objectRef.name === name) ? events : undefined;
    }, `the audit log to show ${name}`);
  };
  return {
    cluster,
    core,
    custom,
    objects,
    operatorKubeConfig,
    async startOperator({ identity = 'operator-0', settings = {}, waitForLeadership = true, now, kubeConfig, fetch }: StartOperatorOptions = {}) {
      const { log, lines } = captureLogger('operator');
      const registry = new Registry();
      const operator = createOperator({
        config: testOperatorSettings(apiUrl(), identity, settings),
        kubeConfig: kubeConfig ?? operatorKubeConfig,
        log,
        registry,
        ...(now === undefined ? {} : { now }),
        ...(fetch === undefined ? {} : { fetch }),
      });
      await operator.start();
      if (waitForLeadership) await waitFor(async () => operator.isLeader, `${identity} to lead`);
      const handle: TestOperator = {
        operator,
        registry,
        lines,
        async reconciles() {
          const metric = await registry.getSingleMetric('identity_operator_reconcile_total')?.get();
          return (metric?.values ?? []).reduce((sum, v) => sum + v.value, 0);
        },
        async stop() {
          running.delete(handle);
          await operator.stop();
        },
      };
      running.add(handle);
      return handle;
    },
    async createNamespace(name) {
      await core.createNamespace({ body: { metadata: { name } } });
    },
    async applyTenant(manifest) {
      return (await objects.patch(manifest as KubernetesObject, undefined, undefined, 'test-user', true, PatchStrategy.ServerSideApply)) as unknown as IdentityTenant;
    },
    async getTenant(name) {
      try {
        return (await custom.getClusterCustomObject({ group: 'lanyard.dev', version: 'v1alpha1', plural: 'identitytenants', name })) as IdentityTenant;
      } catch (error) {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
      }
    },
    auditEvents,
    async operatorWrites() {
      const events = await auditEvents();
      return events.filter((e) => e.user.username === OPERATOR_USER && e.objectRef?.resource !== 'leases');
    },
    async close() {
      for (const handle of [...running]) await handle.stop();
      await cluster.stop();
    },
  };
}
