import { and, eq, isNull } from 'drizzle-orm';
import { refreshTokenFamilies, sessions, type Executor } from '@lanyard/db';

/**
 * Revokes every refresh-token family and browser session of a user, e.g. after a password change or
 * when an admin disables the account. Runs on the caller's executor, so it commits or rolls back with
 * the change that caused it. The user's access tokens end with it too: the access-token validator
 * refuses a token issued before `passwordChangedAt`, and any token of a disabled user.
 */
export async function revokeUserGrants(db: Executor, userId: string, reason: string, now: Date): Promise<void> {
  await db
    .update(refreshTokenFamilies)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(refreshTokenFamilies.userId, userId), isNull(refreshTokenFamilies.revokedAt)));
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
