import { and, desc, eq, gt, inArray, isNull, lt, or } from 'drizzle-orm';
import { refreshTokenFamilies, sessions, tableRowSql, users, type Database, type Session, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { randomToken, tokenHash } from '@lanyard/security';
import { keysetCursor, type KeysetPage } from '../paging/keyset-cursor.js';
import type { AccessTokenDenylist } from '../tokens/access-token-denylist.js';
import { isUuid } from '../uuid.js';

/** What the authorization endpoint and pages need: the session behind a cookie. */
export type SessionLookup = Pick<SessionService, 'find'>;

/** Where a session was started from, kept so its owner can recognise it on the account page. */
export interface SessionOrigin {
  readonly userAgent?: string | undefined;
  /** The client's IP network (see ipNetwork), never the full address. */
  readonly ipNetwork?: string | undefined;
  /**
   * When the person authenticated (OIDC `auth_time`), if not now: a federated sign-in takes the
   * upstream's (upstream-freshness.ts). Never later than now.
   */
  readonly authTime?: Date | undefined;
}

const sessionRow = tableRowSql(sessions, 's');
const sessionUserRow = tableRowSql(users, 'u');
/**
 * The two statements of every sign-in and of every request that carries a session cookie, as
 * prepared statements (parsed once per connection): drizzle building their 50-odd-column lists
 * each time was a large share of a login's main-thread time (docs/benchmarks.md).
 */
const LIVE_SESSION = `select ${sessionRow.list}, ${sessionUserRow.list}
  from sessions s join users u on u.id = s.user_id
  where s.token_hash = $1 and s.tenant_id = $2 and s.revoked_at is null and s.expires_at > $3 and not u.disabled`;
const INSERT_SESSION = `insert into sessions as s (tenant_id, user_id, token_hash, auth_time, amr, user_agent, ip_network, created_at, expires_at)
  values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning ${sessionRow.list}`;

/** Longest User-Agent kept; real ones are ~150 characters, and an attacker's 64 KiB one is not stored. */
const MAX_USER_AGENT = 256;

export interface ActiveSession {
  readonly session: Session;
  readonly user: User;
}

/**
 * Browser sessions at an issuer (the SSO state behind the session cookie). The cookie holds 256
 * random bits; only their hash is stored, so a database leak cannot be replayed as a login.
 */
export class SessionService {
  constructor(
    private readonly db: Database,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
    /** Ends the access tokens issued in a session when it ends. */
    private readonly accessTokens: Pick<AccessTokenDenylist, 'revokeSessions'>,
  ) {}

  async create(tenantId: string, userId: string, amr: readonly string[], origin: SessionOrigin = {}): Promise<{ token: string; session: Session }> {
    const now = this.clock();
    const authTime = origin.authTime ?? now;
    const token = randomToken(32);
    const result = await this.db.$client.query<Record<string, unknown>>({
      name: 'lanyard_session_insert',
      text: INSERT_SESSION,
      values: [tenantId, userId, tokenHash(token), authTime, [...amr], printable(origin.userAgent), origin.ipNetwork ?? null, now, new Date(now.getTime() + this.ttlSeconds * 1000)],
    });
    return { token, session: sessionRow.decode(result.rows[0]!) };
  }

  /** The live session behind a cookie value at this tenant, with its (enabled) user; else undefined. */
  async find(tenantId: string, token: string | undefined): Promise<ActiveSession | undefined> {
    if (token === undefined || token.length < 32 || token.length > 128) return undefined;
    const result = await this.db.$client.query<Record<string, unknown>>({ name: 'lanyard_session_live', text: LIVE_SESSION, values: [tokenHash(token), tenantId, this.clock()] });
    const [row] = result.rows;
    return row === undefined ? undefined : { session: sessionRow.decode(row), user: sessionUserRow.decode(row) };
  }

  /**
   * Ends a session, and with it the access tokens issued in it. Their deny-list entry is written
   * first: if Redis refuses, nothing changed and the caller answers 503, rather than a session gone
   * whose tokens still work and that a retry would no longer find.
   */
  async revoke(sessionId: string): Promise<void> {
    await this.accessTokens.revokeSessions([sessionId]);
    await this.db.update(sessions).set({ revokedAt: this.clock() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
  }

  /**
   * One page of a user's live sessions, newest first (the admin API). The cursor's key is the last
   * session's creation time and id, `<ISO time>|<uuid>`: sessions made in the same millisecond are
   * ordered by id, so none is skipped or repeated.
   */
  async listActivePage(userId: string, query: { limit: number; cursor?: string | undefined }): Promise<KeysetPage<Session>> {
    const after = query.cursor === undefined ? undefined : parseSessionKey(keysetCursor.decode(query.cursor, (key) => parseSessionKey(key) !== undefined))!;
    const rows = await this.db
      .select()
      .from(sessions)
      .where(
        and(
          eq(sessions.userId, userId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, this.clock()),
          after === undefined ? undefined : or(lt(sessions.createdAt, after.createdAt), and(eq(sessions.createdAt, after.createdAt), lt(sessions.id, after.id))),
        ),
      )
      .orderBy(desc(sessions.createdAt), desc(sessions.id))
      .limit(query.limit + 1);
    return keysetCursor.page(rows, query.limit, (session) => `${session.createdAt.toISOString()}|${session.id}`);
  }

  /**
   * Ends one live session of a user (or, without `sessionId`, all of them), the access tokens issued
   * in them, and every refresh-token family issued in them, as logout does. The sessions' tokens
   * are deny-listed before anything is written (see {@link revoke}); the sessions and families end
   * in one transaction: no moment where a session is gone but its refresh tokens still rotate.
   * Returns the ids of the sessions ended; empty when `sessionId` names no live session of this user
   * (an id that is not a UUID cannot, and is answered without a query).
   */
  async revokeForUser(userId: string, sessionId?: string): Promise<string[]> {
    if (sessionId !== undefined && !isUuid(sessionId)) return [];
    const now = this.clock();
    const live = and(eq(sessions.userId, userId), sessionId === undefined ? undefined : eq(sessions.id, sessionId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now));
    const targets = (await this.db.select({ id: sessions.id }).from(sessions).where(live)).map((s) => s.id);
    if (targets.length === 0) return [];
    await this.accessTokens.revokeSessions(targets);
    return this.db.transaction(async (tx) => {
      const ended = await tx
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(inArray(sessions.id, targets), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      const ids = ended.map((s) => s.id);
      if (ids.length > 0) {
        await tx
          .update(refreshTokenFamilies)
          .set({ revokedAt: now, revokedReason: 'session_revoked' })
          .where(and(inArray(refreshTokenFamilies.sessionId, ids), isNull(refreshTokenFamilies.revokedAt)));
      }
      return ids;
    });
  }
}

/** The key of {@link SessionService.listActivePage}'s cursor, or undefined when it has not that shape. */
function parseSessionKey(key: string): { createdAt: Date; id: string } | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)\|([0-9a-f-]{36})$/.exec(key);
  if (match === null || !isUuid(match[2]!)) return undefined;
  const createdAt = new Date(match[1]!);
  return Number.isNaN(createdAt.getTime()) || createdAt.toISOString() !== match[1] ? undefined : { createdAt, id: match[2]! };
}

/** A header value fit to store and show: control characters dropped, length bounded. */
function printable(value: string | undefined): string | null {
  if (value === undefined) return null;
  // eslint-disable-next-line no-control-regex -- dropping control characters is the point
  const cleaned = value.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, MAX_USER_AGENT);
  return cleaned === '' ? null : cleaned;
}
