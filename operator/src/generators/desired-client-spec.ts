import type { ClientSpec } from '@lanyard/contracts';
import type { IdentityTenantClient } from '@lanyard/crd';

/**
 * The admin API body for one client: Kubernetes CamelCase enums become the API's lowercase values,
 * absent lists become empty ones and absent booleans false (the PUT is declarative, so "absent"
 * means "none"). The secret is never part of it: secrets are registered separately, after they are
 * stored (ADR 0002).
 */
export function desiredClientSpec(client: IdentityTenantClient): ClientSpec {
  return {
    type: client.type === 'Public' ? 'public' : 'confidential',
    ...(client.displayName === undefined ? {} : { displayName: client.displayName }),
    grantTypes: [...client.grantTypes],
    redirectUris: [...(client.redirectUris ?? [])],
    postLogoutRedirectUris: [...(client.postLogoutRedirectUris ?? [])],
    allowedCorsOrigins: [...(client.allowedCorsOrigins ?? [])],
    scopes: [...(client.scopes ?? [])],
    audience: [...(client.audience ?? [])],
    tokenLifetimes: {},
    firstParty: client.firstParty ?? false,
    ...(client.tokenEndpointAuthMethod === undefined ? {} : { tokenEndpointAuthMethod: client.tokenEndpointAuthMethod }),
    pkce: client.pkce === 'Optional' ? 'optional' : 'required',
    requireMfa: client.requireMfa ?? false,
  };
}
