import type { TenantSpec } from '@lanyard/contracts';
import type { IdentityTenant } from '@lanyard/crd';
import { MANAGER_NAME } from './well-known-names.js';

/** The admin API body for the tenant; `managedBy` marks it as the operator's (never adopt others'). */
export function desiredTenantSpec(tenant: IdentityTenant): TenantSpec {
  return { displayName: tenant.spec.displayName, managedBy: MANAGER_NAME };
}
