import type { Tenant } from '@lanyard/db';
import { ipNetwork } from './ip-network.js';
import type { LimitDecision, LimitRequest } from './limit-policy.js';
import { rateLimitPolicies, type RateLimitConfig } from './rate-limit-policies.js';
import type { RateLimiter } from './sliding-window-limiter.js';

/** A sign-in attempt that may go ahead; say how it ended so only failures keep counting. */
export interface ReservedAttempt {
  readonly allowed: true;
  /** A success gives the reservation back (successes never count); a failure keeps it. */
  settle(outcome: 'success' | 'failure'): Promise<void>;
}

/** A sign-in attempt refused before the password was even checked. */
export interface RefusedAttempt {
  readonly allowed: false;
  readonly refused: readonly LimitDecision[];
  /** `account` when the account-wide lockout refused; `network` for this network's delay or lockout. */
  readonly scope: 'network' | 'account';
}

/**
 * Failed password sign-ins, counted so that an attacker cannot turn them against the user
 * (docs/adr/0004-login-lockout.md):
 * - per (tenant, account, IP network): a short burst, then a wait (progressive delay); at a
 *   higher count, a lockout of that account *from that network* for a while;
 * - per account from all networks: a much higher threshold locks password sign-in account-wide;
 * - the count is taken before the password is checked (a reservation), so parallel attempts
 *   cannot overshoot the budget, and a success gives it back: successes never count;
 * - unknown accounts count like known ones, so a lockout reveals nothing about who exists;
 * - the records are keyed by the account's password generation (`passwordChangedAt`), so a
 *   completed password change or reset starts them afresh: the path back in that an attacker
 *   without the mailbox cannot block.
 */
export class LoginAttempts {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly config: RateLimitConfig,
  ) {}

  async reserve(tenant: Tenant, account: { email: string; passwordChangedAt: Date | null }, clientAddress: string): Promise<ReservedAttempt | RefusedAttempt> {
    const policies = rateLimitPolicies(this.config, tenant);
    const subject = `${tenant.id}:${account.email}:${account.passwordChangedAt?.getTime() ?? 0}`;
    const fromNetwork = `${subject}:${ipNetwork(clientAddress)}`;
    const charges: LimitRequest[] = [
      { policy: policies.loginBurst, subject: fromNetwork, cost: 1 },
      { policy: policies.loginLockout, subject: fromNetwork, cost: 1 },
      { policy: policies.loginAccount, subject, cost: 1 },
    ];
    const decisions = await this.limiter.decide(charges);
    const counted = charges.filter((_, i) => decisions[i]!.allowed);
    const refund = () => this.limiter.decide(counted.map((c) => ({ ...c, cost: -1 as const }))).then(() => undefined);
    const refused = decisions.filter((d) => !d.allowed);
    if (refused.length > 0) {
      // A refused attempt checked no password, so it must not count either.
      await refund();
      return { allowed: false, refused, scope: refused.some((d) => d.policy.name === policies.loginAccount.name) ? 'account' : 'network' };
    }
    return {
      allowed: true,
      settle: async (outcome) => {
        if (outcome === 'success') await refund();
      },
    };
  }
}
