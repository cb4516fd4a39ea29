import { and, eq, sql } from 'drizzle-orm';
import { knownBrowsers, type Database } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { tokenHash } from '@lanyard/security';

/**
 * Browsers each user has signed in from, identified by the hash of a long-lived random cookie
 * (never a fingerprint). `recordSignIn` says whether this is a browser the user had not used before
 * while other browsers were already known: that sign-in deserves a notice. A user's very first
 * browser is not "new": there is nothing to compare it with.
 */
export class KnownBrowsers {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async recordSignIn(userId: string, browserCookie: string): Promise<{ newBrowser: boolean }> {
    const browserHash = tokenHash(browserCookie);
    const now = this.clock();
    return this.db.transaction(async (tx) => {
      const touched = await tx
        .update(knownBrowsers)
        .set({ lastSeenAt: now })
        .where(and(eq(knownBrowsers.userId, userId), eq(knownBrowsers.browserHash, browserHash)))
        .returning({ userId: knownBrowsers.userId });
      if (touched.length > 0) return { newBrowser: false };
      const [{ others } = { others: 0 }] = await tx.select({ others: sql<number>`count(*)::int` }).from(knownBrowsers).where(eq(knownBrowsers.userId, userId));
      await tx.insert(knownBrowsers).values({ userId, browserHash, firstSeenAt: now, lastSeenAt: now }).onConflictDoNothing();
      return { newBrowser: others > 0 };
    });
  }
}
