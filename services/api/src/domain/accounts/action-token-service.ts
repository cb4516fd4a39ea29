import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import { userActionTokens, users, type Database, type Executor, type User, type UserActionData, type UserActionPurpose, type UserActionToken } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { randomToken, tokenHash } from '@lanyard/security';

/** A token as it appears in a link: 256 random bits, base64url. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** Why a link cannot be used; each gets its own page, since telling them apart reveals nothing. */
export type ActionTokenRefusal = 'invalid' | 'expired' | 'used';

export type ActionTokenCheck =
  | { readonly ok: true; readonly token: UserActionToken; readonly user: User }
  | { readonly ok: false; readonly reason: ActionTokenRefusal };

/**
 * One-time tokens mailed to users. Rules:
 * - only the SHA-256 of the token is stored, so a database leak cannot be replayed;
 * - a token is bound to one tenant, one user and one purpose: a reset link is not a verification
 *   link, and a link of one issuer is unknown at another;
 * - `use` checks and consumes in one UPDATE, so two concurrent clicks cannot both succeed, and
 *   runs on the caller's transaction, so the change it authorises commits with it or not at all;
 * - issuing a new token does not invalidate older ones (an attacker requesting resets for a victim
 *   must not kill the link the victim is about to click); using one retires its siblings.
 */
export class ActionTokenService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async issue(user: Pick<User, 'id' | 'tenantId'>, purpose: UserActionPurpose, ttlSeconds: number, data: UserActionData = {}, executor: Executor = this.db): Promise<{ token: string; row: UserActionToken }> {
    const token = randomToken(32);
    const now = this.clock();
    const [row] = await executor
      .insert(userActionTokens)
      .values({ tokenHash: tokenHash(token), tenantId: user.tenantId, userId: user.id, purpose, data, createdAt: now, expiresAt: new Date(now.getTime() + ttlSeconds * 1000) })
      .returning();
    return { token, row: row! };
  }

  /** Looks without consuming: what a GET of the link shows (mail scanners prefetch links). */
  async check(tenantId: string, purpose: UserActionPurpose, token: string | undefined): Promise<ActionTokenCheck> {
    return this.#classify(this.db, tenantId, purpose, token, false);
  }

  /** Consumes the token in the caller's transaction; refused tokens are left as they were. */
  async use(tx: Executor, tenantId: string, purpose: UserActionPurpose, token: string | undefined): Promise<ActionTokenCheck> {
    return this.#classify(tx, tenantId, purpose, token, true);
  }

  async #classify(executor: Executor, tenantId: string, purpose: UserActionPurpose, token: string | undefined, consume: boolean): Promise<ActionTokenCheck> {
    if (token === undefined || !TOKEN_SHAPE.test(token)) return { ok: false, reason: 'invalid' };
    const hash = tokenHash(token);
    const now = this.clock();
    const own = and(eq(userActionTokens.tokenHash, hash), eq(userActionTokens.tenantId, tenantId), eq(userActionTokens.purpose, purpose));
    if (consume) {
      const [used] = await executor
        .update(userActionTokens)
        .set({ usedAt: now })
        .where(and(own, isNull(userActionTokens.usedAt), gt(userActionTokens.expiresAt, now)))
        .returning();
      if (used !== undefined) {
        const [user] = await executor.select().from(users).where(eq(users.id, used.userId)).for('update');
        // Siblings of the same purpose die with it: after a reset, older reset links are dead too.
        await executor
          .update(userActionTokens)
          .set({ usedAt: now })
          .where(and(eq(userActionTokens.userId, used.userId), eq(userActionTokens.purpose, purpose), isNull(userActionTokens.usedAt), ne(userActionTokens.tokenHash, hash)));
        return user === undefined ? { ok: false, reason: 'invalid' } : { ok: true, token: used, user };
      }
    }
    const [row] = await executor.select({ token: userActionTokens, user: users }).from(userActionTokens).innerJoin(users, eq(users.id, userActionTokens.userId)).where(own);
    if (row === undefined) return { ok: false, reason: 'invalid' };
    if (row.token.usedAt !== null) return { ok: false, reason: 'used' };
    if (row.token.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
    // A live token the UPDATE did not take was consumed by a concurrent request that rolled back.
    if (consume) return { ok: false, reason: 'used' };
    return { ok: true, token: row.token, user: row.user };
  }
}
