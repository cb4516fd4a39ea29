import { and, eq } from 'drizzle-orm';
import { users, type Database, type Tenant, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import type { UserLookup } from '../users/user-service.js';
import type { AccountMailer } from './account-mailer.js';
import type { ActionTokenRefusal, ActionTokenService } from './action-token-service.js';
import { mailActionLink, resumeData } from './mail-action-link.js';

export type VerificationOutcome =
  | { readonly ok: true; readonly user: User; readonly interactionId?: string | undefined }
  | { readonly ok: false; readonly reason: ActionTokenRefusal };

/**
 * Proof that a user owns their address: a one-time link mailed to it. The token records the
 * address it was mailed to; if the account's address changed since, the link proves nothing about
 * the new one and is refused.
 */
export class EmailVerification {
  constructor(
    private readonly db: Database,
    readonly tokens: Pick<ActionTokenService, 'issue' | 'use'>,
    private readonly users: Pick<UserLookup, 'findByEmail'>,
    readonly mailer: Pick<AccountMailer, 'send'>,
    readonly issuerOf: (tenant: string) => string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  /**
   * Mails a new verification link; `interactionId` is the app sign-in to resume after it. False
   * when the address had its hourly quota of verification emails.
   */
  async send(tenant: Tenant, user: User, resume: { interactionId?: string | undefined } = {}): Promise<boolean> {
    return mailActionLink(this, tenant, user, {
      purpose: 'email_verification',
      template: 'email_verification',
      page: 'verifyEmail',
      ttlSeconds: this.ttlSeconds,
      to: user.email,
      data: { email: user.email, ...resumeData(resume) },
    });
  }

  /** "Resend": only an existing, enabled, unverified account gets mail; the caller answers the same either way. */
  async resend(tenant: Tenant, email: string, resume: { interactionId?: string | undefined } = {}): Promise<void> {
    const user = await this.users.findByEmail(tenant.id, email);
    if (user === undefined || user.disabled || user.emailVerified) return;
    await this.send(tenant, user, resume);
  }

  async confirm(tenant: Tenant, token: string | undefined): Promise<VerificationOutcome> {
    return this.db.transaction(async (tx) => {
      const used = await this.tokens.use(tx, tenant.id, 'email_verification', token);
      if (!used.ok) return used;
      if (used.user.disabled || used.token.data.email !== used.user.email) return { ok: false, reason: 'invalid' } as const;
      const [user] = await tx
        .update(users)
        .set({ emailVerified: true, updatedAt: this.clock() })
        .where(and(eq(users.id, used.user.id), eq(users.tenantId, tenant.id)))
        .returning();
      return { ok: true, user: user!, interactionId: used.token.data.interactionId } as const;
    });
  }
}
