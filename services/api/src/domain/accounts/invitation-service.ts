import { and, eq } from 'drizzle-orm';
import { users, type Database, type Tenant, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { ConflictProblem } from '@lanyard/errors';
import type { PasswordHasher } from '../users/password-hasher.js';
import { normalizeEmail } from '../users/user-service.js';
import { isUniqueViolation } from '../users/unique-violation.js';
import { accountLink } from './account-links.js';
import type { AccountMailer } from './account-mailer.js';
import { accountPolicy } from './account-policy.js';
import type { ActionTokenCheck, ActionTokenRefusal, ActionTokenService } from './action-token-service.js';
import { refuseWeakPassword, type WeakPassword } from './password-policy.js';

export type AcceptOutcome =
  | { readonly ok: true; readonly user: User }
  | { readonly ok: false; readonly reason: ActionTokenRefusal }
  | WeakPassword;

/**
 * Invitations: an admin names an address; its owner chooses a password through the emailed link.
 * Rules:
 * - the invited account exists from the start, without a password (nobody can sign in to it) and
 *   unverified; inviting it again mails a new link, older links keep working until one is used;
 * - an address that already has a usable account (a password or a verified address) is a 409;
 * - accepting sets the password and marks the address verified (the link proved it), in the
 *   transaction that consumes the link.
 */
export class Invitations {
  constructor(
    private readonly db: Database,
    private readonly tokens: Pick<ActionTokenService, 'issue' | 'check' | 'use'>,
    private readonly passwords: Pick<PasswordHasher, 'hash'>,
    private readonly mailer: Pick<AccountMailer, 'send'>,
    private readonly issuerOf: (tenant: string) => string,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {}

  async invite(tenant: Tenant, input: { email: string; name?: string | undefined; invitedBy?: string | undefined }): Promise<{ user: User; expiresAt: Date; created: boolean }> {
    const email = normalizeEmail(input.email);
    const now = this.clock();
    const { user, created } = await this.db.transaction(async (tx) => {
      const [existing] = await tx.select().from(users).where(and(eq(users.tenantId, tenant.id), eq(users.email, email))).for('update');
      if (existing !== undefined) {
        if (existing.passwordHash !== null || existing.emailVerified) throw new ConflictProblem(`"${email}" already has an account in tenant "${tenant.name}".`);
        return { user: existing, created: false };
      }
      const [inserted] = await tx.insert(users).values({ tenantId: tenant.id, email, name: input.name ?? null, emailVerified: false, createdAt: now, updatedAt: now }).returning();
      return { user: inserted!, created: true };
    }).catch((error: unknown) => {
      if (isUniqueViolation(error)) throw new ConflictProblem(`"${email}" was invited at the same moment by another request.`);
      throw error;
    });
    const { token, row } = await this.tokens.issue(user, 'invitation', this.ttlSeconds, { email });
    await this.mailer.send(tenant, email, 'invitation', `invitation.${row.id}`, {
      link: accountLink(this.issuerOf(tenant.name), 'invitation', token),
      expiresInDays: Math.max(1, Math.round(this.ttlSeconds / 86_400)),
      ...(input.invitedBy === undefined ? {} : { invitedBy: input.invitedBy }),
    });
    return { user, expiresAt: row.expiresAt, created };
  }

  async check(tenant: Tenant, token: string | undefined): Promise<ActionTokenCheck> {
    const checked = await this.tokens.check(tenant.id, 'invitation', token);
    return checked.ok && !open(checked.user, checked.token.data.email) ? { ok: false, reason: 'used' } : checked;
  }

  async accept(tenant: Tenant, token: string | undefined, input: { password: string; name?: string | undefined }): Promise<AcceptOutcome> {
    const checked = await this.check(tenant, token);
    if (!checked.ok) return checked;
    const weak = refuseWeakPassword(input.password, accountPolicy(tenant).passwordMinLength, checked.user.email);
    if (weak !== undefined) return weak;
    const passwordHash = await this.passwords.hash(input.password);
    return this.db.transaction(async (tx): Promise<AcceptOutcome> => {
      const used = await this.tokens.use(tx, tenant.id, 'invitation', token);
      if (!used.ok) return used;
      if (!open(used.user, used.token.data.email)) return { ok: false, reason: 'used' };
      const now = this.clock();
      const [user] = await tx
        .update(users)
        .set({ passwordHash, passwordChangedAt: now, emailVerified: true, ...(input.name === undefined || input.name === '' ? {} : { name: input.name }), updatedAt: now })
        .where(eq(users.id, used.user.id))
        .returning();
      return { ok: true, user: user! };
    });
  }
}

/** An invitation is open while its account has no password yet and still has the invited address. */
const open = (user: User, invited: string | undefined) => !user.disabled && user.passwordHash === null && user.email === invited;
