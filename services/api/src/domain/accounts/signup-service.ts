import { users, type Database, type Tenant } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import type { PasswordHasher } from '../users/password-hasher.js';
import { normalizeEmail, type UserLookup } from '../users/user-service.js';
import { isUniqueViolation } from '../users/unique-violation.js';
import { mailAccountExists } from './mail-action-link.js';
import type { AccountMailer } from './account-mailer.js';
import { accountPolicy } from './account-policy.js';
import type { EmailVerification } from './email-verification-service.js';
import { checkPassword, type PasswordProblem } from './password-policy.js';

export interface SignupInput {
  readonly email: string;
  readonly password: string;
  readonly name?: string | undefined;
}

export type SignupOutcome =
  /** The same answer for a new and an already registered address: "check your inbox". */
  | { readonly kind: 'accepted' }
  | { readonly kind: 'not_allowed'; readonly policy: 'invite-only' | 'closed' }
  | { readonly kind: 'weak_password'; readonly problem: PasswordProblem; readonly minLength: number };

/**
 * Self-service sign-up (policy `open` only). Rules:
 * - the password policy is checked first, and only on what the user typed (not on whether the
 *   address exists), so a refusal reveals nothing;
 * - the password is hashed on every path, a registered address included, so both take the
 *   Argon2 time; the caller adds a response floor for the rest;
 * - a new address gets an unverified account and a verification email; a registered one gets an
 *   "you already have an account" email instead, and its account is not touched;
 * - two concurrent sign-ups of one address create one account (the unique index decides).
 */
export class SignupService {
  constructor(
    private readonly db: Database,
    private readonly users: Pick<UserLookup, 'findByEmail'>,
    private readonly passwords: Pick<PasswordHasher, 'hash'>,
    private readonly verification: Pick<EmailVerification, 'send'>,
    private readonly mailer: Pick<AccountMailer, 'send'>,
    private readonly issuerOf: (tenant: string) => string,
    private readonly clock: Clock,
  ) {}

  async signUp(tenant: Tenant, input: SignupInput, resume: { interactionId?: string | undefined } = {}): Promise<SignupOutcome> {
    const policy = accountPolicy(tenant);
    if (policy.signup !== 'open') return { kind: 'not_allowed', policy: policy.signup };
    const email = normalizeEmail(input.email);
    const problem = checkPassword(input.password, { minLength: policy.passwordMinLength, email });
    if (problem !== undefined) return { kind: 'weak_password', problem, minLength: policy.passwordMinLength };

    const passwordHash = await this.passwords.hash(input.password);
    const existing = await this.users.findByEmail(tenant.id, email);
    if (existing !== undefined) {
      await mailAccountExists({ mailer: this.mailer, issuerOf: this.issuerOf, clock: this.clock }, tenant, email, existing.id);
      return { kind: 'accepted' };
    }
    const now = this.clock();
    let created;
    try {
      [created] = await this.db
        .insert(users)
        .values({ tenantId: tenant.id, email, emailVerified: false, name: input.name ?? null, passwordHash, passwordChangedAt: now, createdAt: now, updatedAt: now })
        .returning();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      // Lost a race with a concurrent sign-up of the same address: that one owns it now.
      const winner = await this.users.findByEmail(tenant.id, email);
      if (winner !== undefined) await mailAccountExists({ mailer: this.mailer, issuerOf: this.issuerOf, clock: this.clock }, tenant, email, winner.id);
      return { kind: 'accepted' };
    }
    await this.verification.send(tenant, created!, resume);
    return { kind: 'accepted' };
  }

}
