import type { ClaimMapping, IdentityProviderResource, IdentityProviderSpec } from '@lanyard/contracts';

/** The OpenID Connect Core claim each mapping defaults to (the admin API's ClaimMapping). */
const CLAIM_DEFAULTS: Readonly<Required<ClaimMapping>> = { subject: 'sub', email: 'email', emailVerified: 'email_verified', name: 'name' };

/** The identity service's scopes when none are set (IdentityProviderSpec.scopes). */
export const DEFAULT_PROVIDER_SCOPES: readonly string[] = ['openid', 'email', 'profile'];

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');

/**
 * Fields where the provider in the identity service differs from the desired one (empty: in
 * sync). `clientSecret` is drift when the stored secret's fingerprint is not the referenced
 * Secret's (`desiredFingerprint`, see providerSecretFingerprint), including when none is stored.
 * Scopes are a set; absent desired scopes accept either way the service may report its default
 * (empty, or `openid email profile`). A claim name equal to its default is the same as an absent one.
 */
export function identityProviderDrift(actual: IdentityProviderResource, desired: IdentityProviderSpec, desiredFingerprint: string): string[] {
  const drift: string[] = [];
  for (const field of ['displayName', 'issuer', 'clientId', 'linking'] as const) if (actual[field] !== desired[field]) drift.push(field);
  if (desired.scopes === undefined ? !(actual.scopes.length === 0 || sameSet(actual.scopes, DEFAULT_PROVIDER_SCOPES)) : !sameSet(actual.scopes, desired.scopes)) drift.push('scopes');
  for (const field of Object.keys(CLAIM_DEFAULTS) as Array<keyof ClaimMapping>) {
    if ((actual.claims?.[field] ?? CLAIM_DEFAULTS[field]) !== (desired.claims?.[field] ?? CLAIM_DEFAULTS[field])) drift.push(`claims.${field}`);
  }
  if (actual.disabled !== (desired.disabled ?? false)) drift.push('disabled');
  if (actual.clientSecretFingerprint !== desiredFingerprint) drift.push('clientSecret');
  return drift;
}
