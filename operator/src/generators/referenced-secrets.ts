import type { IdentityTenant } from '@lanyard/crd';

/**
 * Names of the tenants that read Secret `namespace/name` (an identity provider's `clientSecretRef`
 * in the tenant's `spec.namespace`): the ones to reconcile again when that Secret changes, appears
 * or goes away.
 */
export function tenantsReferencingSecret(tenants: readonly IdentityTenant[], namespace: string, name: string): string[] {
  return tenants
    .filter((t) => t.spec?.namespace === namespace && (t.spec.identityProviders ?? []).some((p) => p.clientSecretRef?.name === name))
    .map((t) => t.metadata.name);
}

/** Names of the tenants that reference any Secret (to re-queue after a watch had to start afresh). */
export function tenantsWithSecretReferences(tenants: readonly IdentityTenant[]): string[] {
  return tenants.filter((t) => (t.spec?.identityProviders ?? []).length > 0).map((t) => t.metadata.name);
}
