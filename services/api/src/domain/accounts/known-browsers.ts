import type { Database } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { tokenHash } from '@lanyard/security';

/** A prepared statement (see `recordSignIn`): parsed once per connection, not rebuilt by drizzle per sign-in. */
const RECORD_SIGN_IN = `with touched as (
    update known_browsers set last_seen_at = $3
    where user_id = $1 and browser_hash = $2
    returning 1
  ), inserted as (
    insert into known_browsers (user_id, browser_hash, first_seen_at, last_seen_at)
    select $1::uuid, $2::bytea, $3::timestamptz, $3::timestamptz where not exists (select 1 from touched)
    on conflict do nothing
    returning 1
  )
  select exists (select 1 from touched) as touched,
         (select count(*)::int from known_browsers where user_id = $1) as known`;

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
    const result = await this.db.$client.query<{ touched: boolean; known: number }>({ name: 'lanyard_known_browser_sign_in', text: RECORD_SIGN_IN, values: [userId, browserHash, now] });
    const row = result.rows[0];
    return { newBrowser: row !== undefined && !row.touched && row.known > 0 };
  }
}
