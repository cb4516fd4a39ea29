import type { TenantResource } from '@lanyard/contracts';
import type { IdentityTenant } from '@lanyard/crd';
import { desiredTenantSpec } from '../generators/desired-tenant-spec.js';
import { tenantDrift } from '../generators/tenant-drift.js';
import { MANAGER_NAME } from '../generators/well-known-names.js';
import type { PartOutcome } from '../generators/tenant-conditions.js';
import type { ReconcileContext } from './reconcile-context.js';

/** The tenant in the identity service after {@link syncTenant}. */
export type TenantSync =
  | { readonly ok: true; readonly resource: TenantResource; readonly outcome: PartOutcome }
  | { readonly ok: false; readonly outcome: PartOutcome };

/**
 * Makes the tenant exist with the desired display name and account policy, writing only when it is
 * missing or differs (a quiet resync makes no request but the GET). A tenant of the same name that
 * someone else manages (`managedBy` is not the operator) is never taken over: that is a
 * TenantConflict.
 */
export async function syncTenant(ctx: ReconcileContext, tenant: IdentityTenant): Promise<TenantSync> {
  const name = tenant.metadata.name;
  const desired = desiredTenantSpec(tenant);
  let actual = await ctx.identity.getTenant(name);
  if (actual !== undefined && actual.managedBy !== MANAGER_NAME) {
    return {
      ok: false,
      outcome: { status: 'False', reason: 'TenantConflict', message: `Tenant "${name}" already exists in the identity service and is managed by ${actual.managedBy ?? 'nobody (created by hand)'}; it is left untouched.` },
    };
  }
  const drift = actual === undefined ? [] : tenantDrift(actual, desired);
  if (actual === undefined || drift.length > 0) {
    ctx.log.info({ tenant: name, created: actual === undefined, drift }, 'applying tenant');
    actual = await ctx.identity.putTenant(name, desired);
  }
  return { ok: true, resource: actual, outcome: { status: 'True', reason: 'Synced', message: `Tenant exists with issuer ${actual.issuer}.` } };
}
