import type { ClaimMapping, IdentityProviderSpec, LinkingRule } from '@lanyard/contracts';
import type { IdentityProviderLink, IdentityTenantIdentityProvider } from '@lanyard/crd';

/** Kubernetes CamelCase enum → the admin API's value. */
export const LINKING: Readonly<Record<IdentityProviderLink, LinkingRule>> = { JustInTime: 'just-in-time', VerifiedEmail: 'verified-email', ExistingOnly: 'existing-only' };

/** `spec.identityProviders[].claims` as the admin API's ClaimMapping: only the names that are set. */
export function desiredClaims(provider: IdentityTenantIdentityProvider): ClaimMapping {
  const claims = provider.claims ?? {};
  return {
    ...(claims.subject === undefined ? {} : { subject: claims.subject }),
    ...(claims.email === undefined ? {} : { email: claims.email }),
    ...(claims.emailVerified === undefined ? {} : { emailVerified: claims.emailVerified }),
    ...(claims.name === undefined ? {} : { name: claims.name }),
  };
}

/**
 * The admin API body for one identity provider, without `clientSecret`: the secret is added only
 * when it has to be sent (a new provider, or a fingerprint that differs from the referenced
 * Secret's value), so an unchanged Secret never causes a write. `displayName` defaults to the name;
 * absent `scopes` are left out, so the identity service's default applies; an absent `disabled` is
 * sent as false (the PUT is declarative).
 */
export function desiredIdentityProviderSpec(provider: IdentityTenantIdentityProvider): IdentityProviderSpec {
  return {
    displayName: provider.displayName ?? provider.name,
    issuer: provider.issuer,
    clientId: provider.clientId,
    ...(provider.scopes === undefined ? {} : { scopes: [...provider.scopes] }),
    claims: desiredClaims(provider),
    linking: LINKING[provider.link],
    disabled: provider.disabled ?? false,
  };
}
