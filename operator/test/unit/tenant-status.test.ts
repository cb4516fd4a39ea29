import { describe, expect, it } from 'vitest';
import type { IdentityTenant } from '@lanyard/crd';
import { buildConditions, conditionTime, readyOutcome, type PartOutcome } from '../../src/generators/tenant-conditions.js';
import { failedTenantStatus, sameStatus, tenantStatus } from '../../src/generators/tenant-status.js';

const ok: PartOutcome = { status: 'True', reason: 'Synced', message: 'ok' };
const parts = { TenantReady: ok, SecretsReady: ok, ClientsReady: ok, IdentityProvidersReady: ok, DashboardsReady: { status: 'True' as const, reason: 'Disabled', message: 'off' } };
const t0 = new Date('2026-05-01T10:00:00.123Z');
const t1 = new Date('2026-05-01T11:00:00.456Z');
const tenant = (status?: IdentityTenant['status'], generation = 3): IdentityTenant => ({
  apiVersion: 'lanyard.dev/v1alpha1',
  kind: 'IdentityTenant',
  metadata: { name: 'acme', uid: 'u', generation },
  spec: { displayName: 'Acme', namespace: 'acme' },
  ...(status === undefined ? {} : { status }),
});

describe('conditions (Kubernetes API conventions)', () => {
  it('Ready is True with reason Reconciled only when every part is True', () => {
    expect(readyOutcome(parts)).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect(readyOutcome({ ...parts, SecretsReady: { status: 'False', reason: 'SecretConflict', message: 'clash' } })).toEqual({ status: 'False', reason: 'SecretConflict', message: 'clash' });
  });

  it('lists Ready first, then every part, each with reason, message and observedGeneration; times are second precision', () => {
    const conditions = buildConditions(undefined, parts, 3, t0);
    expect(conditions.map((c) => c.type)).toEqual(['Ready', 'TenantReady', 'SecretsReady', 'ClientsReady', 'IdentityProvidersReady', 'DashboardsReady']);
    for (const c of conditions) expect(c).toMatchObject({ observedGeneration: 3, lastTransitionTime: '2026-05-01T10:00:00Z', reason: expect.any(String), message: expect.any(String) });
    expect(conditionTime(t0)).toBe('2026-05-01T10:00:00Z');
  });

  it('changes lastTransitionTime only when the status changes', () => {
    const first = buildConditions(undefined, parts, 3, t0);
    const same = buildConditions(first, { ...parts, ClientsReady: { ...ok, message: 'other words' } }, 4, t1);
    expect(same.find((c) => c.type === 'ClientsReady')).toMatchObject({ lastTransitionTime: '2026-05-01T10:00:00Z', message: 'other words', observedGeneration: 4 });
    const flipped = buildConditions(first, { ...parts, TenantReady: { status: 'False', reason: 'IdentityServiceUnavailable', message: 'down' } }, 4, t1);
    expect(flipped.find((c) => c.type === 'TenantReady')?.lastTransitionTime).toBe('2026-05-01T11:00:00Z');
    expect(flipped.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('2026-05-01T11:00:00Z');
    expect(flipped.find((c) => c.type === 'SecretsReady')?.lastTransitionTime).toBe('2026-05-01T10:00:00Z');
  });
});

describe('tenant status', () => {
  it('is identical when nothing changed, so a quiet reconcile writes no status', () => {
    const first = tenantStatus({ tenant: tenant(), issuer: 'https://id/tenants/acme', clients: [{ name: 'web', clientId: 'acme-web', ready: true }], parts, now: t0 });
    const again = tenantStatus({ tenant: tenant(first), issuer: 'https://id/tenants/acme', clients: [{ name: 'web', clientId: 'acme-web', ready: true }], parts, now: t1 });
    expect(sameStatus(first, again)).toBe(true);
    expect(first).toMatchObject({ observedGeneration: 3, clientsReady: '1/1' });
  });

  it('compares regardless of key order, and sees any real difference', () => {
    const a = { observedGeneration: 1, issuer: 'x', clientsReady: '0/0' };
    expect(sameStatus(a, { clientsReady: '0/0', issuer: 'x', observedGeneration: 1 })).toBe(true);
    expect(sameStatus(a, { ...a, clientsReady: '1/1' })).toBe(false);
    expect(sameStatus(undefined, a)).toBe(false);
  });

  it('after a failure: Ready and the failing part change, observedGeneration and the rest are kept', () => {
    const good = tenantStatus({ tenant: tenant(undefined, 2), issuer: 'https://id/tenants/acme', clients: [], parts, now: t0 });
    const failed = failedTenantStatus(tenant(good, 3), { status: 'False', reason: 'IdentityServiceUnavailable', message: 'down' }, 'TenantReady', t1);
    expect(failed.observedGeneration).toBe(2);
    expect(failed.issuer).toBe('https://id/tenants/acme');
    expect(failed.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'False', reason: 'IdentityServiceUnavailable', observedGeneration: 3 });
    expect(failed.conditions?.find((c) => c.type === 'TenantReady')).toMatchObject({ status: 'False', reason: 'IdentityServiceUnavailable' });
    expect(failed.conditions?.find((c) => c.type === 'SecretsReady')).toMatchObject({ status: 'True', lastTransitionTime: '2026-05-01T10:00:00Z' });
    // The same failure again changes nothing: no status write, no second Event.
    expect(sameStatus(failed, failedTenantStatus(tenant(failed, 3), { status: 'False', reason: 'IdentityServiceUnavailable', message: 'down' }, 'TenantReady', new Date()))).toBe(true);
  });

  it('a failure belonging to no part changes only Ready', () => {
    const good = tenantStatus({ tenant: tenant(), issuer: 'i', clients: [], parts, now: t0 });
    const failed = failedTenantStatus(tenant(good), { status: 'False', reason: 'KubernetesApiError', message: 'x' }, undefined, t1);
    expect(failed.conditions?.filter((c) => c.status === 'False').map((c) => c.type)).toEqual(['Ready']);
  });
});
