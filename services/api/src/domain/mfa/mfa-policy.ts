import type { Tenant } from '@lanyard/db';

export interface MfaPolicy {
  readonly policy: 'optional' | 'required';
  readonly enrolmentGraceDays: number;
}

/** Second factors are offered, not forced, until an admin says so; a forced one gives a week to enrol. */
export const MFA_DEFAULTS = { policy: 'optional', enrolmentGraceDays: 7 } as const;

export function mfaPolicy(tenant: Pick<Tenant, 'mfa'>): MfaPolicy {
  return { policy: tenant.mfa.policy ?? MFA_DEFAULTS.policy, enrolmentGraceDays: tenant.mfa.enrolmentGraceDays ?? MFA_DEFAULTS.enrolmentGraceDays };
}
