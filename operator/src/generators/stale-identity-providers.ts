import type { IdentityProviderResource } from '@lanyard/contracts';
import type { IdentityTenantIdentityProvider } from '@lanyard/crd';

/**
 * Providers the identity service has for the tenant that the spec no longer declares. The operator
 * owns the tenant (`managedBy`, checked before), so every provider in it is the operator's to delete.
 */
export function staleIdentityProviders(actual: readonly IdentityProviderResource[], declared: readonly IdentityTenantIdentityProvider[]): string[] {
  const wanted = new Set(declared.map((p) => p.name));
  return actual.map((p) => p.name).filter((name) => !wanted.has(name));
}
