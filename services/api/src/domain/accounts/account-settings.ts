import { eq } from 'drizzle-orm';
import { users, type Database, type Tenant, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import type { AccountProfile } from '@lanyard/contracts';
import { revokeUserGrants } from '../tokens/revoke-user-grants.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import { accountPolicy } from './account-policy.js';
import type { PasswordChangedNotice } from './password-changed-notice.js';
import { refuseWeakPassword, type WeakPassword } from './password-policy.js';

/** What a signed-in user changes about themselves on the account page (their credentials apart). */
export class AccountSettings {
  constructor(
    private readonly db: Database,
    private readonly passwords: Pick<PasswordHasher, 'hash'>,
    private readonly notice: PasswordChangedNotice,
    private readonly clock: Clock,
  ) {}

  /**
   * The name and standard claims (every field present; null clears one). A phone number that
   * changes is no longer verified: nobody has checked the new one.
   */
  async updateProfile(user: User, profile: Required<AccountProfile>): Promise<User> {
    const phoneChanged = profile.phoneNumber !== user.phoneNumber;
    const [updated] = await this.db
      .update(users)
      .set({ ...profile, ...(phoneChanged ? { phoneNumberVerified: false } : {}), updatedAt: this.clock() })
      .where(eq(users.id, user.id))
      .returning();
    return updated!;
  }

  /**
   * A new password (the caller has checked the current one). Every session and refresh token of
   * the user is revoked in the same transaction; the caller starts a fresh session for the browser
   * that made the change. The owner is told by email.
   */
  async changePassword(tenant: Tenant, user: User, password: string): Promise<{ ok: true; user: User } | WeakPassword> {
    const weak = refuseWeakPassword(password, accountPolicy(tenant).passwordMinLength, user.email);
    if (weak !== undefined) return weak;
    const passwordHash = await this.passwords.hash(password);
    const updated = await this.db.transaction(async (tx) => {
      const now = this.clock();
      const [row] = await tx.update(users).set({ passwordHash, passwordChangedAt: now, updatedAt: now }).where(eq(users.id, user.id)).returning();
      await revokeUserGrants(tx, user.id, 'password_changed', now);
      return row!;
    });
    await this.notice.send(tenant, updated, { hadPassword: user.passwordHash !== null });
    return { ok: true, user: updated };
  }
}
