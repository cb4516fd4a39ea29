import type { SignupPolicy, TenantAccounts, TenantSpec } from '@lanyard/contracts';
import type { IdentityTenant, IdentityTenantAccounts, IdentityTenantSignupPolicy } from '@lanyard/crd';
import { MANAGER_NAME } from './well-known-names.js';

/** Kubernetes CamelCase enum → the admin API's value. */
const SIGNUP: Readonly<Record<IdentityTenantSignupPolicy, SignupPolicy>> = { Open: 'open', InviteOnly: 'invite-only', Closed: 'closed' };

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
 * The admin API body for the tenant; `managedBy` marks it as the operator's (never adopt others').
 * The PUT is declarative, so leaving `accounts` out (no `spec.accounts`) means "no policy set" to
 * the identity service, the same as `{}`; it is left out rather than sent empty so that a tenant
 * without a policy still applies against an identity service that predates the field.
 */
export function desiredTenantSpec(tenant: IdentityTenant): TenantSpec {
  const accounts = desiredTenantAccounts(tenant.spec.accounts);
  return {
    displayName: tenant.spec.displayName,
    managedBy: MANAGER_NAME,
    ...(Object.keys(accounts).length === 0 ? {} : { accounts }),
  };
}
