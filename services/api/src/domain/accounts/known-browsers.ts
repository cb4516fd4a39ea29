import { sql } from 'drizzle-orm';
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

  /**
   * One statement, as every hosted sign-in runs it (a transaction of update, count and insert cost
   * five round trips). The final select reads the snapshot from before the CTEs' writes, so `known`
   * counts the user's browsers without this one. Two racing first sign-ins from the same new browser
   * both find nothing to touch; one inserts, the other's insert yields to it, and both report the
   * browser as new, as the locked version did.
   */
  async recordSignIn(userId: string, browserCookie: string): Promise<{ newBrowser: boolean }> {
    const browserHash = tokenHash(browserCookie);
    const now = this.clock();
    const result = await this.db.execute<{ touched: boolean; known: number }>(sql`
      with touched as (
        update ${knownBrowsers} set last_seen_at = ${now}
        where user_id = ${userId} and browser_hash = ${browserHash}
        returning 1
      ), inserted as (
        insert into ${knownBrowsers} (user_id, browser_hash, first_seen_at, last_seen_at)
        select ${userId}::uuid, ${browserHash}::bytea, ${now}::timestamptz, ${now}::timestamptz where not exists (select 1 from touched)
        on conflict do nothing
        returning 1
      )
      select exists (select 1 from touched) as touched,
             (select count(*)::int from ${knownBrowsers} where user_id = ${userId}) as known`);
    const row = result.rows[0];
    return { newBrowser: row !== undefined && !row.touched && row.known > 0 };
  }
}
