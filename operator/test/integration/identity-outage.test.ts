import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, freePort, spawnEntry, testEnvironment, testSecrets, uniqueRedisPrefix, type SpawnedProcess, type TestDatabase } from '@lanyard/testing';
import { identityService, secretData } from '../support/identity-service.js';
import { startOperatorTestEnv, type OperatorTestEnv, type TestOperator } from '../support/operator-test-env.js';
import { billingClient, tenantManifest } from '../support/sample-tenant.js';
import { waitFor } from '../support/wait-for.js';

let database: TestDatabase;
let port: number;
let apiEnv: Record<string, string>;
let api: SpawnedProcess | undefined;
let env: OperatorTestEnv;
let op: TestOperator;
const baseUrl = () => `http://127.0.0.1:${port}`;
const identity = identityService(baseUrl);

async function startApi(): Promise<void> {
  api = spawnEntry('services/api/src/server.ts', apiEnv);
  await api.waitFor('Server listening', 60_000);
}

async function stopApi(): Promise<void> {
  api?.child.kill('SIGTERM');
  await api?.exited;
  api = undefined;
}

const readyCondition = async () => (await env.getTenant('out'))?.status?.conditions?.find((c) => c.type === 'Ready');
const events = async () =>
  (await env.core.listNamespacedEvent({ namespace: 'default' })).items.filter((e) => e.involvedObject.name === 'out').map((e) => `${e.type}/${e.reason}`);

beforeAll(async () => {
  database = await createTestDatabase();
  port = await freePort();
  apiEnv = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    PORT: String(port),
    METRICS_PORT: String(await freePort()),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl(),
    DATABASE_URL: database.url,
    REDIS_URL: testEnvironment.redisUrl,
    REDIS_KEY_PREFIX: uniqueRedisPrefix(),
    KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
    BOOTSTRAP_ADMIN_CLIENT_ID: testSecrets.bootstrapClientId,
    BOOTSTRAP_ADMIN_CLIENT_SECRET: testSecrets.bootstrapClientSecret,
    SHUTDOWN_GRACE_SECONDS: '2',
  };
  await startApi();
  env = await startOperatorTestEnv(baseUrl);
  await env.createNamespace('out');
  op = await env.startOperator({ settings: { BACKOFF_BASE_MILLISECONDS: 200, BACKOFF_MAX_SECONDS: 3, LANYARD_API_TIMEOUT_SECONDS: 2 } });
  await env.applyTenant(tenantManifest('out', { clients: [billingClient()] }));
  await waitFor(async () => (await readyCondition())?.status === 'True', 'out to be Ready');
}, 120_000);

afterAll(async () => {
  await env?.close();
  await stopApi();
  await database?.drop();
});

describe('an identity-service outage', () => {
  it('sets Ready=False/IdentityServiceUnavailable, leaves the Secret byte-identical, backs off, and converges after recovery', async () => {
    await op.operator.idle();
    const before = await env.core.readNamespacedSecret({ namespace: 'out', name: 'billing-oauth' });
    const writesBefore = (await env.operatorWrites()).length;
    const linesBefore = op.lines.length;
    await stopApi();
    // A spec change during the outage: work the operator must not half-do.
    await env.applyTenant(tenantManifest('out', { displayName: 'Renamed during outage', clients: [billingClient({ scopes: ['billing:read', 'billing:write'] })] }));

    await waitFor(async () => {
      const ready = await readyCondition();
      return ready?.reason === 'IdentityServiceUnavailable' && ready.observedGeneration === 2;
    }, 'Ready=False IdentityServiceUnavailable for generation 2');
    const tenant = (await env.getTenant('out'))!;
    expect(tenant.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', observedGeneration: 2 });
    expect(tenant.status?.conditions?.find((c) => c.type === 'TenantReady')).toMatchObject({ status: 'False', reason: 'IdentityServiceUnavailable' });
    // Not reconciled: observedGeneration stays at the last generation that was.
    expect(tenant.status?.observedGeneration).toBe(1);

    // Backoff: consecutive failures, each retry scheduled later than the base delay doubled, and
    // actually waited for. From the third failure on only the retry timer starts an attempt (the
    // status was written once, by the first; its watch event may have started the second at once).
    const failures = () => op.lines.slice(linesBefore).filter((l) => l.msg === 'reconcile failed' && l.tenant === 'out') as Array<{ failures: number; retryInMs: number; retryAt: string; time: string }>;
    const timed = await waitFor(async () => {
      const later = failures().filter((f) => f.failures >= 3);
      return later.length >= 3 ? later : undefined;
    }, 'three retries after the third failure');
    const all = failures();
    expect(all.map((f) => f.failures)).toEqual(all.map((_, i) => i + 1));
    expect(all.length).toBeLessThan(12);
    for (const f of all) expect(f.retryInMs).toBeGreaterThanOrEqual(Math.min(3_000, 200 * 2 ** (f.failures - 1)) / 2);
    for (const [i, f] of timed.slice(1).entries()) {
      // Each failure announces when it will be retried, its delay from now; the next attempt (and
      // so its failure) comes no earlier, however late the event loop runs.
      const previous = timed[i]!;
      expect(Date.parse(previous.retryAt) - Date.parse(previous.time)).toBeLessThanOrEqual(previous.retryInMs);
      expect(Date.parse(previous.retryAt) - Date.parse(previous.time)).toBeGreaterThan(previous.retryInMs / 2);
      expect(Date.parse(f.time)).toBeGreaterThanOrEqual(Date.parse(previous.retryAt));
    }
    expect(op.operator.failures('out')).toBeGreaterThanOrEqual(5);

    const during = await env.core.readNamespacedSecret({ namespace: 'out', name: 'billing-oauth' });
    expect(during.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(during.data).toEqual(before.data);
    const outageWrites = (await env.operatorWrites()).slice(writesBefore);
    expect(outageWrites.filter((w) => w.objectRef?.resource === 'secrets')).toEqual([]);
    // Status changed once and an Event was recorded once, on the transition, not per retry.
    expect(outageWrites.filter((w) => w.objectRef?.subresource === 'status')).toHaveLength(1);
    expect((await events()).filter((e) => e === 'Warning/IdentityServiceUnavailable')).toHaveLength(1);

    await startApi();
    await waitFor(async () => {
      const t = await env.getTenant('out');
      return t?.status?.observedGeneration === 2 && t.status.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    }, 'recovery', 30_000);
    expect((await identity.admin('GET', '/tenants/out')).body.displayName).toBe('Renamed during outage');
    expect((await identity.admin<{ scopes: string[] }>('GET', '/tenants/out/clients/out-billing')).body.scopes.sort()).toEqual(['billing:read', 'billing:write']);
    const after = await env.core.readNamespacedSecret({ namespace: 'out', name: 'billing-oauth' });
    expect(after.data).toEqual(before.data);
    const data = secretData(after);
    expect((await identity.clientCredentials(data.ISSUER_URL!, data.CLIENT_ID!, data.CLIENT_SECRET!)).status).toBe(200);
    expect((await events()).filter((e) => e === 'Normal/Reconciled')).toHaveLength(2);
  }, 90_000);
});
