import type { IdentityTenantClient } from '@lanyard/crd';

/** The OAuth client id of a spec entry: explicit, or `<tenant>-<name>` (docs/reference/identity-tenant.md "spec.clients[]"). */
export function effectiveClientId(tenantName: string, client: IdentityTenantClient): string {
  return client.clientId ?? `${tenantName}-${client.name}`;
}
