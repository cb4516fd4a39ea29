import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, spawnEntry, testSecrets } from '@lanyard/testing';
// eslint-disable-next-line no-restricted-imports -- tests only
import { startTestApi, type TestApi } from '../../../services/api/test/support/test-api.js';
import { startOperatorTestEnv, type OperatorTestEnv } from '../support/operator-test-env.js';
import { tenantManifest, webClient } from '../support/sample-tenant.js';
import { waitFor } from '../support/wait-for.js';

let api: TestApi;
let env: OperatorTestEnv;
let kubeconfigFile: string;

beforeAll(async () => {
  api = await startTestApi({ listen: true });
  env = await startOperatorTestEnv(() => api.baseUrl);
  kubeconfigFile = join(mkdtempSync(join(tmpdir(), 'operator-process-')), 'kubeconfig');
  writeFileSync(kubeconfigFile, await env.cluster.serviceAccountKubeconfig('lanyard', 'lanyard-operator'), { mode: 0o600 });
  await env.createNamespace('proc');
});

afterAll(async () => {
  await env?.close();
  await api?.close();
});

describe('operator/src/server.ts as a process', () => {
  it('stops with one line naming the variable when the configuration is invalid', async () => {
    const child = spawnEntry('operator/src/server.ts', { LANYARD_ADMIN_CLIENT_SECRET: 'short' });
    expect(await child.exited).toBe(1);
    expect(child.stderr().trim()).toBe('invalid configuration: LANYARD_ADMIN_CLIENT_SECRET must be at least 32 characters');
  });

  it('reconciles, serves /healthz, /readyz and /metrics on OPERATOR_PORT, and on SIGTERM releases the Lease and exits 0', async () => {
    const port = await freePort();
    const child = spawnEntry('operator/src/server.ts', {
      KUBECONFIG: kubeconfigFile,
      LANYARD_API_URL: api.baseUrl,
      LANYARD_ADMIN_CLIENT_ID: testSecrets.bootstrapClientId,
      LANYARD_ADMIN_CLIENT_SECRET: testSecrets.bootstrapClientSecret,
      OPERATOR_HOST: '127.0.0.1',
      OPERATOR_PORT: String(port),
      POD_NAME: 'operator-process',
      LEASE_DURATION_SECONDS: '3',
    });
    try {
      await child.waitFor('operator started', 30_000);
      await env.applyTenant(tenantManifest('proc', { clients: [webClient()] }));
      await waitFor(async () => (await env.getTenant('proc'))?.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True', 'proc Ready', 30_000);
      const base = `http://127.0.0.1:${port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/identity_operator_reconcile_total\{result="success"\} [1-9]/);
      expect(metrics).toContain('identity_operator_tenants{ready="true"} 1');
      for (const line of child.stdout().split('\n').filter((l) => l.startsWith('{'))) {
        expect(JSON.parse(line)).toMatchObject({ service: 'operator', level: expect.any(String), time: expect.any(String), msg: expect.any(String) });
      }
    } finally {
      child.child.kill('SIGTERM');
    }
    expect(await child.exited).toBe(0);
    const lease = (await env.cluster.request('GET', '/apis/coordination.k8s.io/v1/namespaces/lanyard/leases/lanyard-operator')).json<{ spec: { holderIdentity?: string } }>();
    expect(lease.spec.holderIdentity ?? '').toBe('');
  }, 60_000);
});
