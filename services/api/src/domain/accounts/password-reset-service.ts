import { eq } from 'drizzle-orm';
import { users, type Database, type Tenant, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { revokeUserGrants } from '../tokens/revoke-user-grants.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import type { UserLookup } from '../users/user-service.js';
import type { AccountMailer } from './account-mailer.js';
import { accountPolicy } from './account-policy.js';
import type { ActionTokenCheck, ActionTokenRefusal, ActionTokenService } from './action-token-service.js';
import { mailActionLink, resumeData } from './mail-action-link.js';
import { refuseWeakPassword, type WeakPassword } from './password-policy.js';
import type { PasswordChangedNotice } from './password-changed-notice.js';

export type ResetOutcome =
  | { readonly ok: true; readonly user: User; readonly interactionId?: string | undefined }
  | { readonly ok: false; readonly reason: ActionTokenRefusal }
  | WeakPassword;

/**
 * Forgotten passwords. Rules:
 * - a request mails a reset link only to an existing, enabled account; the caller answers the same
 *   in every case (and adds a response floor);
 * - the link is checked (not consumed) when shown, consumed when the new password is set, in the
 *   transaction that sets it: a weak password leaves the link usable, a used link sets nothing;
 * - a reset revokes every session and refresh token of the user, marks the address verified (the
 *   link proved it), and starts a new password generation, which also lifts a login lockout;
 * - the user is told by email that the password changed.
 */
export class PasswordReset {
  constructor(
    private readonly db: Database,
    readonly tokens: Pick<ActionTokenService, 'issue' | 'check' | 'use'>,
    private readonly users: Pick<UserLookup, 'findByEmail'>,
    private readonly passwords: Pick<PasswordHasher, 'hash'>,
    readonly mailer: Pick<AccountMailer, 'send'>,
    private readonly notice: PasswordChangedNotice,
    readonly issuerOf: (tenant: string) => string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  async request(tenant: Tenant, email: string, resume: { interactionId?: string | undefined } = {}): Promise<void> {
    const user = await this.users.findByEmail(tenant.id, email);
    if (user === undefined || user.disabled) return;
    await mailActionLink(this, tenant, user, {
      purpose: 'password_reset',
      template: 'password_reset',
      page: 'resetPassword',
      ttlSeconds: this.ttlSeconds,
      to: user.email,
      data: { email: user.email, ...resumeData(resume) },
    });
  }

  /** What the reset page shows for a link, without using it. */
  async check(tenant: Tenant, token: string | undefined): Promise<ActionTokenCheck> {
    const checked = await this.tokens.check(tenant.id, 'password_reset', token);
    return checked.ok && !usable(checked.user, checked.token.data.email) ? { ok: false, reason: 'invalid' } : checked;
  }

  async reset(tenant: Tenant, token: string | undefined, password: string): Promise<ResetOutcome> {
    const checked = await this.check(tenant, token);
    if (!checked.ok) return checked;
    const weak = refuseWeakPassword(password, accountPolicy(tenant).passwordMinLength, checked.user.email);
    if (weak !== undefined) return weak;
    // Hash outside the transaction: a slow hash must not hold a connection or a row lock.
    const passwordHash = await this.passwords.hash(password);
    let hadPassword = true;
    const outcome = await this.db.transaction(async (tx): Promise<ResetOutcome> => {
      const used = await this.tokens.use(tx, tenant.id, 'password_reset', token);
      if (!used.ok) return used;
      if (!usable(used.user, used.token.data.email)) return { ok: false, reason: 'invalid' };
      const now = this.clock();
      const [user] = await tx.update(users).set({ passwordHash, passwordChangedAt: now, emailVerified: true, updatedAt: now }).where(eq(users.id, used.user.id)).returning();
      await revokeUserGrants(tx, used.user.id, 'password_reset', now);
      hadPassword = used.user.passwordHash !== null;
      return { ok: true, user: user!, interactionId: used.token.data.interactionId };
    });
    if (outcome.ok) await this.notice.send(tenant, outcome.user, { hadPassword });
    return outcome;
  }
}

/** A link for a disabled account, or mailed to an address the account no longer has, is dead. */
const usable = (user: User, mailedTo: string | undefined) => !user.disabled && mailedTo === user.email;
