import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@lanyard/testing';
import type { IdentityTenant } from '@lanyard/crd';
import { startOperatorTestEnv, type OperatorTestEnv } from '../../test/support/operator-test-env.js';
import { billingClient, tenantManifest } from '../../test/support/sample-tenant.js';
/* eslint-disable no-restricted-imports -- bench tooling: the API's production bundle and its bench helpers, as the operator's tests use the API's test server */
import { benchDatabase, type BenchDatabase } from '../../../services/api/bench/support/bench-database.js';
import { startLanyard, type LanyardServer } from '../../../services/api/bench/support/lanyard.js';
import { spawnPinned, waitForHttp, type PinnedProcess } from '../../../services/api/bench/support/processes.js';
import { productionBundle } from '../../../services/api/bench/support/production-bundle.js';
import { benchSecrets } from '../../../services/api/bench/support/settings.js';
/* eslint-enable no-restricted-imports */

/** A `[tenant name, generation]` the operator must bring to Ready. */
export type ConvergeTarget = readonly [string, number];

/**
 * The operator benches' stack: the API's production bundle on a fresh bench database, a real
 * kube-apiserver + etcd (the envtest binaries) with the CRD and RBAC installed, and the operator's
 * production bundle with the chart's defaults, all stopped by `close()`.
 */
export interface OperatorStack {
  readonly api: LanyardServer;
  readonly kube: OperatorTestEnv;
  readonly operator: PinnedProcess;
  readonly operatorUrl: string;
  /** Applies an IdentityTenant `name` with one confidential client (`billing`). */
  apply(name: string, displayName?: string): Promise<void>;
  /** Seconds from `started` until every target is Ready at its generation (Infinity past `timeoutMs`), and those that never were. */
  converge(targets: readonly ConvergeTarget[], started?: number, timeoutMs?: number): Promise<{ seconds: number; lost: string[] }>;
  close(): Promise<void>;
}

export async function startOperatorStack(operatorEnv: Record<string, string> = {}): Promise<OperatorStack> {
  const database: BenchDatabase = await benchDatabase();
  const scratch = mkdtempSync(join(tmpdir(), 'lanyard-operator-bench-'));
  let api: LanyardServer | undefined;
  let kube: OperatorTestEnv | undefined;
  let operator: PinnedProcess | undefined;
  const close = async () => {
    await operator?.stop();
    await kube?.close();
    await api?.stop();
    await database.release();
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    api = await startLanyard(database.url, {}, productionBundle('api'));
    const apiUrl = api.baseUrl;
    kube = await startOperatorTestEnv(() => apiUrl);
    const kubeconfig = join(scratch, 'kubeconfig');
    writeFileSync(kubeconfig, kube.operatorKubeConfig.exportConfig(), { mode: 0o600 });
    const operatorPort = await freePort();
    const operatorUrl = `http://127.0.0.1:${operatorPort}`;
    // As shipped (the chart's defaults), except where the API is and who the operator is.
    operator = spawnPinned('0-1', productionBundle('operator'), {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      KUBECONFIG: kubeconfig,
      LANYARD_API_URL: apiUrl,
      LANYARD_ADMIN_CLIENT_ID: benchSecrets.bootstrapClientId,
      LANYARD_ADMIN_CLIENT_SECRET: benchSecrets.bootstrapClientSecret,
      OPERATOR_HOST: '127.0.0.1',
      OPERATOR_PORT: String(operatorPort),
      POD_NAME: 'operator-0',
      ...operatorEnv,
    });
    await waitForHttp(`${operatorUrl}/readyz`, operator, 60_000);
    const cluster = kube;
    /** Generation each tenant is Ready at, from one list call (500 GETs per poll would load the apiserver we measure). */
    const readyGenerations = async (): Promise<Map<string, number>> => {
      const list = (await cluster.custom.listClusterCustomObject({ group: 'lanyard.dev', version: 'v1alpha1', plural: 'identitytenants' })) as { items: IdentityTenant[] };
      const ready = new Map<string, number>();
      for (const tenant of list.items) {
        const condition = tenant.status?.conditions?.find((c) => c.type === 'Ready');
        if (condition?.status === 'True' && condition.observedGeneration !== undefined) ready.set(tenant.metadata.name, condition.observedGeneration);
      }
      return ready;
    };
    return {
      api,
      kube,
      operator,
      operatorUrl,
      async apply(name, displayName) {
        await cluster.applyTenant(tenantManifest(name, { ...(displayName === undefined ? {} : { displayName }), clients: [billingClient()] }));
      },
      async converge(targets, started = performance.now(), timeoutMs = 120_000) {
        let pending = [...targets];
        while (pending.length > 0 && performance.now() - started < timeoutMs) {
          // While the apiserver is away, nothing counts as Ready.
          const ready = await readyGenerations().catch(() => new Map<string, number>());
          pending = pending.filter(([name, generation]) => ready.get(name) !== generation);
          if (pending.length > 0) await sleep(250);
        }
        return { seconds: pending.length === 0 ? (performance.now() - started) / 1000 : Number.POSITIVE_INFINITY, lost: pending.map(([name]) => name) };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
