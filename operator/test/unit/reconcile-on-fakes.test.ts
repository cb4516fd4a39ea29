import type { IdentityTenant } from '@lanyard/crd';
import { describe, expect, it } from 'vitest';
import { reconcileTenant } from '../../src/reconcile/reconcile-tenant.js';
import { fakeReconcileContext } from '../support/fake-reconcile-context.js';
import { tenantManifest } from '../support/sample-tenant.js';

describe('a whole reconcile on the in-memory fakes', () => {
  it('provisions a fresh tenant to Ready, then a second reconcile writes nothing', async () => {
    const fake = fakeReconcileContext();
    fake.kube.putTenant({ ...tenantManifest('acme', { dashboards: { enabled: true } }), metadata: { name: 'acme', generation: 1 } } as IdentityTenant);

    const result = await reconcileTenant(fake.ctx, 'acme');
    const tenant = (await fake.kube.getTenant('acme'))!;
    expect(tenant.metadata.finalizers).toEqual(['lanyard.dev/cleanup']);
    expect(tenant.status).toMatchObject({ observedGeneration: 1, issuer: 'https://id.example.test/tenants/acme', clientsReady: '2/2' });
    expect(tenant.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
    expect(fake.events).toEqual(['Normal/Reconciled']);
    expect(fake.kube.peekSecret('acme', 'billing-oauth')?.data).toHaveProperty('CLIENT_SECRET');
    expect(await fake.kube.getConfigMap('monitoring', 'lanyard-tenant-acme-dashboard')).toBeDefined();
    expect(fake.identity.registeredValues('acme', 'acme-billing')).toEqual(fake.generated);
    expect(result.requeueAfterMs).toBeGreaterThan(0);

    const writes = [...fake.kube.writes, ...fake.identity.writes];
    await reconcileTenant(fake.ctx, 'acme');
    expect([...fake.kube.writes, ...fake.identity.writes]).toEqual(writes);
  });
});
