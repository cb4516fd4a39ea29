import { and, eq } from 'drizzle-orm';
import { users, type Database, type Tenant, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { normalizeEmail, type UserLookup } from '../users/user-service.js';
import { isUniqueViolation } from '../users/unique-violation.js';
import type { AccountMailer } from './account-mailer.js';
import type { ActionTokenRefusal, ActionTokenService } from './action-token-service.js';
import { mailAccountExists, mailActionLink } from './mail-action-link.js';

export type EmailChangeOutcome =
  | { readonly ok: true; readonly user: User; readonly previousEmail: string }
  | { readonly ok: false; readonly reason: ActionTokenRefusal | 'address_taken' };

/** `alice@example.com` → `a***@example.com`: enough for the owner to recognise, not to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}***${email.slice(at)}`;
}

/**
 * Changing the address of an account. Rules:
 * - the new address must prove itself first: the change happens only when the link mailed to it
 *   is used, so a typo or a hijacked session cannot move the account to a foreign mailbox;
 * - an address another account already has gets the "you already have an account" email instead,
 *   and the requester sees the same page either way;
 * - when it happens the old address is told (with the new one masked), the account stays verified,
 *   and nothing else changes: sessions stay, the password stays.
 */
export class EmailChange {
  constructor(
    private readonly db: Database,
    readonly tokens: Pick<ActionTokenService, 'issue' | 'use'>,
    private readonly users: Pick<UserLookup, 'findByEmail'>,
    readonly mailer: Pick<AccountMailer, 'send' | 'now'>,
    readonly issuerOf: (tenant: string) => string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  async request(tenant: Tenant, user: User, newEmail: string): Promise<void> {
    const email = normalizeEmail(newEmail);
    const owner = await this.users.findByEmail(tenant.id, email);
    if (owner !== undefined) {
      if (owner.id === user.id) return;
      await mailAccountExists({ mailer: this.mailer, issuerOf: this.issuerOf, clock: this.clock }, tenant, email, owner.id);
      return;
    }
    await mailActionLink(this, tenant, user, { purpose: 'email_change', template: 'email_verification', page: 'confirmEmailChange', ttlSeconds: this.ttlSeconds, to: email, data: { email } });
  }

  async confirm(tenant: Tenant, token: string | undefined): Promise<EmailChangeOutcome> {
    let outcome: EmailChangeOutcome;
    try {
      outcome = await this.db.transaction(async (tx): Promise<EmailChangeOutcome> => {
        const used = await this.tokens.use(tx, tenant.id, 'email_change', token);
        if (!used.ok) return used;
        const newEmail = used.token.data.email;
        if (used.user.disabled || newEmail === undefined) return { ok: false, reason: 'invalid' };
        const [user] = await tx
          .update(users)
          .set({ email: newEmail, emailVerified: true, updatedAt: this.clock() })
          .where(and(eq(users.id, used.user.id), eq(users.tenantId, tenant.id)))
          .returning();
        return { ok: true, user: user!, previousEmail: used.user.email };
      });
    } catch (error) {
      // Someone took the address between the request and the click; the link stays unused.
      if (isUniqueViolation(error)) return { ok: false, reason: 'address_taken' };
      throw error;
    }
    if (outcome.ok) {
      await this.mailer.send(tenant, outcome.previousEmail, 'email_changed', `email_changed.${outcome.user.id}.${outcome.user.updatedAt.getTime()}`, {
        newEmailHint: maskEmail(outcome.user.email),
        when: this.mailer.now(),
      });
    }
    return outcome;
  }
}
