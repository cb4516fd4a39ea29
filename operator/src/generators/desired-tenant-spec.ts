import type { MfaPolicy, SignupPolicy, TenantAccounts, TenantMfa, TenantSpec } from '@lanyard/contracts';
import type { IdentityTenant, IdentityTenantAccounts, IdentityTenantMfa, IdentityTenantMfaPolicy, IdentityTenantSignupPolicy } from '@lanyard/crd';
import { MANAGER_NAME } from './well-known-names.js';

/** Kubernetes CamelCase enum → the admin API's value. */
const SIGNUP: Readonly<Record<IdentityTenantSignupPolicy, SignupPolicy>> = { Open: 'open', InviteOnly: 'invite-only', Closed: 'closed' };
const MFA_POLICY: Readonly<Record<IdentityTenantMfaPolicy, MfaPolicy>> = { Optional: 'optional', Required: 'required' };

/**
 * `spec.accounts` as the admin API's `TenantAccounts`: only the fields that are set, so an absent
 * one keeps the identity service's default (the API stores and returns the policy as set).
 */
export function desiredTenantAccounts(accounts: IdentityTenantAccounts | undefined): TenantAccounts {
  if (accounts === undefined) return {};
  return {
    ...(accounts.signup === undefined ? {} : { signup: SIGNUP[accounts.signup] }),
    ...(accounts.requireVerifiedEmail === undefined ? {} : { requireVerifiedEmail: accounts.requireVerifiedEmail }),
    ...(accounts.passwordMinLength === undefined ? {} : { passwordMinLength: accounts.passwordMinLength }),
    ...(accounts.emailFromName === undefined ? {} : { emailFromName: accounts.emailFromName }),
    ...(accounts.emailFromAddress === undefined ? {} : { emailFromAddress: accounts.emailFromAddress }),
  };
}

/**
 * `spec.mfa` as the admin API's `TenantMfa`: only the fields that are set, as for `accounts`, so an
 * absent one keeps the identity service's default (policy optional, a 7-day grace period).
 */
export function desiredTenantMfa(mfa: IdentityTenantMfa | undefined): TenantMfa {
  if (mfa === undefined) return {};
  return {
    ...(mfa.policy === undefined ? {} : { policy: MFA_POLICY[mfa.policy] }),
    ...(mfa.enrolmentGraceDays === undefined ? {} : { enrolmentGraceDays: mfa.enrolmentGraceDays }),
  };
}

/**
 * The admin API body for the tenant; `managedBy` marks it as the operator's (never adopt others').
 * The PUT is declarative, so leaving `accounts` or `mfa` out (no `spec.accounts`, no `spec.mfa`)
 * means "no policy set" to the identity service, the same as `{}`; each is left out rather than sent
 * empty so that a tenant without that policy still applies against an identity service that
 * predates the field.
 */
export function desiredTenantSpec(tenant: IdentityTenant): TenantSpec {
  const accounts = desiredTenantAccounts(tenant.spec.accounts);
  const mfa = desiredTenantMfa(tenant.spec.mfa);
  return {
    displayName: tenant.spec.displayName,
    managedBy: MANAGER_NAME,
    ...(Object.keys(accounts).length === 0 ? {} : { accounts }),
    ...(Object.keys(mfa).length === 0 ? {} : { mfa }),
  };
}
