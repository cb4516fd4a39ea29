import type { V1OwnerReference } from '@kubernetes/client-node';
import { IDENTITY_TENANT_API_VERSION, IDENTITY_TENANT_KIND, type IdentityTenant } from '@lanyard/crd';

/**
 * The controller reference put on every owned object. A namespaced dependent may name a
 * cluster-scoped owner (Kubernetes "Owners and dependents"), which is why IdentityTenant is
 * cluster-scoped; `blockOwnerDeletion` keeps foreground deletion of the tenant waiting for them.
 */
export function ownerReference(tenant: IdentityTenant): V1OwnerReference {
  if (tenant.metadata.uid === undefined) throw new Error(`IdentityTenant ${tenant.metadata.name} has no uid (not read from the API server?)`);
  return {
    apiVersion: IDENTITY_TENANT_API_VERSION,
    kind: IDENTITY_TENANT_KIND,
    name: tenant.metadata.name,
    uid: tenant.metadata.uid,
    controller: true,
    blockOwnerDeletion: true,
  };
}
