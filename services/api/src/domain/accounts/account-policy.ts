import type { Tenant } from '@lanyard/db';

/** A tenant's self-service account policy with every default filled in (docs/reference/accounts.md). */
export interface AccountPolicy {
  readonly signup: 'open' | 'invite-only' | 'closed';
  /** Password sign-in needs `email_verified`; a user who has not verified is sent to verify. */
  readonly requireVerifiedEmail: boolean;
  readonly passwordMinLength: number;
  /** The sender of this tenant's emails; the address falls back to the worker's SMTP_FROM. */
  readonly sender: { readonly name: string; readonly address?: string };
}

/**
 * Defaults are the safe choice: no one can create an account until an admin opens sign-up, and an
 * address must be proven before it signs in. 12 characters is above NIST SP 800-63B's floor of 8
 * and is what the common-password list is checked against.
 */
export const ACCOUNT_DEFAULTS = { signup: 'closed', requireVerifiedEmail: true, passwordMinLength: 12 } as const;

export function accountPolicy(tenant: Pick<Tenant, 'accounts' | 'displayName'>): AccountPolicy {
  const a = tenant.accounts;
  return {
    signup: a.signup ?? ACCOUNT_DEFAULTS.signup,
    requireVerifiedEmail: a.requireVerifiedEmail ?? ACCOUNT_DEFAULTS.requireVerifiedEmail,
    passwordMinLength: a.passwordMinLength ?? ACCOUNT_DEFAULTS.passwordMinLength,
    sender: { name: a.emailFromName ?? tenant.displayName, ...(a.emailFromAddress === undefined ? {} : { address: a.emailFromAddress }) },
  };
}
