import { and, eq, isNull } from 'drizzle-orm';
import { refreshTokenFamilies, sessions, type Database } from '@lanyard/db';

/**
 * Revokes every refresh-token family and browser session of a user, e.g. after a password change or
 * when an admin disables the account. Access tokens are short-lived JWTs and expire on their own.
 */
export async function revokeUserGrants(db: Database, userId: string, reason: string, now = new Date()): Promise<void> {
  await db
    .update(refreshTokenFamilies)
    .set({ revokedAt: now, revokedReason: reason })
    .where(and(eq(refreshTokenFamilies.userId, userId), isNull(refreshTokenFamilies.revokedAt)));
  await db.update(sessions).set({ revokedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)));
}
