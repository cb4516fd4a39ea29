import type { TenantAccounts, TenantMfa, TenantResource, TenantSpec } from '@lanyard/contracts';

const ACCOUNT_FIELDS = ['signup', 'requireVerifiedEmail', 'passwordMinLength', 'emailFromName', 'emailFromAddress'] as const satisfies ReadonlyArray<keyof TenantAccounts>;
const MFA_FIELDS = ['policy', 'enrolmentGraceDays'] as const satisfies ReadonlyArray<keyof TenantMfa>;

/**
 * Fields where the tenant in the identity service differs from the desired one (empty: in sync).
 * The API returns `accounts` and `mfa` as set, without defaults filled in, so an absent field must
 * be absent on both sides: a policy value set by hand where the spec has none is drift, and the next
 * PUT (the whole desired state) removes it. A resource without `accounts` or `mfa` (an identity
 * service that predates the field) counts as "no policy set".
 */
export function tenantDrift(actual: TenantResource, desired: TenantSpec): string[] {
  const drift: string[] = [];
  if (actual.displayName !== desired.displayName) drift.push('displayName');
  const actualAccounts: TenantAccounts = actual.accounts ?? {};
  const desiredAccounts: TenantAccounts = desired.accounts ?? {};
  for (const field of ACCOUNT_FIELDS) if (actualAccounts[field] !== desiredAccounts[field]) drift.push(`accounts.${field}`);
  const actualMfa: TenantMfa = actual.mfa ?? {};
  const desiredMfa: TenantMfa = desired.mfa ?? {};
  for (const field of MFA_FIELDS) if (actualMfa[field] !== desiredMfa[field]) drift.push(`mfa.${field}`);
  return drift;
}
