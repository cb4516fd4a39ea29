import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- tests only: the real identity service as a fixture (never shipped)
import { startTestApi, type TestApi } from '../../../services/api/test/support/test-api.js';
import { identityService, secretData } from '../support/identity-service.js';
import { startOperatorTestEnv, type OperatorTestEnv, type TestOperator } from '../support/operator-test-env.js';
import { billingClient, tenantManifest } from '../support/sample-tenant.js';
import { sleep, waitFor } from '../support/wait-for.js';

const GRACE_SECONDS = 4;
let api: TestApi;
let env: OperatorTestEnv;
let op: TestOperator;
let clockOffsetMs = 0;
const identity = identityService(() => api.baseUrl);
const readSecret = async () => secretData(await env.core.readNamespacedSecret({ namespace: 'rot', name: 'billing-oauth' }));
const authenticates = async (secret: string, issuer: string) => (await identity.clientCredentials(issuer, 'rot-billing', secret)).status;
const registered = async () => (await identity.admin<{ secrets: Array<{ id: string }> }>('GET', '/tenants/rot/clients/rot-billing')).body.secrets.length;

beforeAll(async () => {
  api = await startTestApi({ listen: true });
  env = await startOperatorTestEnv(() => api.baseUrl);
  await env.createNamespace('rot');
  op = await env.startOperator({ settings: { SECRET_ROTATION_GRACE_SECONDS: GRACE_SECONDS, SECRET_ROTATION_DAYS: 30 }, now: () => new Date(Date.now() + clockOffsetMs) });
  await env.applyTenant(tenantManifest('rot', { clients: [billingClient()] }));
  await waitFor(async () => (await env.getTenant('rot'))?.status?.clientsReady === '1/1', 'rot to be ready');
});

afterAll(async () => {
  await env?.close();
  await api?.close();
});

describe('client secret rotation without downtime', () => {
  it('on a rotation.generation bump: both secrets authenticate during the grace period, only the new one after, and CLIENT_SECRET never fails', async () => {
    const old = await readSecret();
    const issuer = old.ISSUER_URL!;
    expect(await authenticates(old.CLIENT_SECRET!, issuer)).toBe(200);

    // A consumer re-reading the Secret continuously must never hold a secret that does not work.
    const failures: string[] = [];
    let watching = true;
    const consumer = (async () => {
      while (watching) {
        const data = await readSecret();
        const status = await authenticates(data.CLIENT_SECRET!, issuer);
        if (status !== 200) failures.push(`${status} for ${data.CLIENT_SECRET!.slice(0, 6)}…`);
        await sleep(20);
      }
    })();

    await env.applyTenant(tenantManifest('rot', { clients: [billingClient({ rotation: { generation: 1 } })] }));
    const rotated = await waitFor(async () => {
      const data = await readSecret();
      return data.CLIENT_SECRET !== old.CLIENT_SECRET && data.PENDING_CLIENT_SECRET === undefined ? data : undefined;
    }, 'the secret to rotate');
    const rotatedAt = Date.now();

    expect(await authenticates(rotated.CLIENT_SECRET!, issuer)).toBe(200);
    expect(await authenticates(old.CLIENT_SECRET!, issuer)).toBe(200);
    expect(await registered()).toBe(2);
    expect(Date.now() - rotatedAt).toBeLessThan(GRACE_SECONDS * 1000);

    await waitFor(async () => (await authenticates(old.CLIENT_SECRET!, issuer)) === 401, 'the old secret to stop working', 15_000);
    expect(Date.now() - rotatedAt).toBeGreaterThanOrEqual((GRACE_SECONDS - 1) * 1000);
    expect(await authenticates(rotated.CLIENT_SECRET!, issuer)).toBe(200);
    expect(await registered()).toBe(1);
    watching = false;
    await consumer;
    expect(failures).toEqual([]);
    expect((await env.core.readNamespacedSecret({ namespace: 'rot', name: 'billing-oauth' })).metadata?.annotations?.['lanyard.dev/rotation-generation']).toBe('1');
  }, 30_000);

  it('when the rotation period has passed (operator clock moved 31 days ahead)', async () => {
    const old = await readSecret();
    clockOffsetMs = 31 * 86_400_000;
    op.operator.enqueue('rot');
    const rotated = await waitFor(async () => {
      const data = await readSecret();
      return data.CLIENT_SECRET !== old.CLIENT_SECRET ? data : undefined;
    }, 'the periodic rotation');
    expect(await authenticates(rotated.CLIENT_SECRET!, rotated.ISSUER_URL!)).toBe(200);
    // The grace period runs on the operator's clock too, which is past it: the old secret goes next.
    await waitFor(async () => (await authenticates(old.CLIENT_SECRET!, old.ISSUER_URL!)) === 401, 'the old secret to be removed');
    clockOffsetMs = 0;
  });
});
