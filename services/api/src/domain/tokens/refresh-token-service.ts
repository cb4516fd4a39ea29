import { createHmac } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type pg from 'pg';
import { refreshTokenFamilies, refreshTokens, sessions, users, type Database, type RefreshToken, type RefreshTokenFamily, type Session, type User } from '@lanyard/db';
import { InvalidGrant } from '@lanyard/errors';
import { randomToken, tokenHash } from '@lanyard/security';

export interface NewFamily {
  readonly tenantId: string;
  readonly clientRef: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly scopes: readonly string[];
  readonly authTime: Date;
  readonly delivery: 'cookie' | 'body';
  readonly idleTtlSeconds: number;
  readonly absoluteTtlSeconds: number;
}

export interface RotationResult {
  readonly token: string;
  readonly family: RefreshTokenFamily;
  readonly user: User;
  /** True when a racing request inside the grace window got the successor already issued. */
  readonly replayedWithinGrace: boolean;
}

/** Why a refresh failed, for the audit trail (`token_reuse` also revoked the family). */
export class RefreshRejected extends InvalidGrant {
  constructor(
    readonly reason: 'unknown' | 'wrong_client' | 'revoked' | 'expired' | 'reuse' | 'user_disabled' | 'session_ended',
    message = 'The refresh token is invalid, expired or revoked.',
  ) {
    super(message, { detail: `refresh rejected: ${reason}` });
  }

  /** Reuse is audited as `token_reuse`: it revoked a family and may mean a stolen token. */
  get auditReason(): string | undefined {
    return this.reason === 'reuse' ? 'token_reuse' : undefined;
  }
}

/**
 * Opaque rotating refresh tokens (RFC 9700 §4.14.2) with reuse detection:
 * - each token is 256 random bits (the first) or HMAC(key, predecessor) (its successors), stored hashed;
 * - a token is used once; using it again outside the grace window revokes the whole family;
 * - inside the grace window a racing request gets the *same* successor (recomputed from the
 *   predecessor, so no plaintext is ever stored), so parallel tabs never fork a family;
 * - the successor's idle expiry never passes the family's absolute expiry;
 * - families without `offline_access` (OIDC Core §11) end with the browser session.
 */
export class RefreshTokenService {
  readonly #lookup;

  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly successorKey: Buffer,
    private readonly graceSeconds: number,
  ) {
    this.#lookup = db
      .select(LOOKUP_COLUMNS)
      .from(refreshTokens)
      .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
      .innerJoin(users, eq(users.id, refreshTokenFamilies.userId))
      .leftJoin(sessions, eq(sessions.id, refreshTokenFamilies.sessionId))
      .where(eq(refreshTokens.tokenHash, sql.placeholder('hash')))
      .prepare('lanyard_refresh_lookup');
  }

  async createFamily(db: Database, input: NewFamily, now = new Date()): Promise<{ token: string; family: RefreshTokenFamily }> {
    const absoluteExpiresAt = new Date(now.getTime() + input.absoluteTtlSeconds * 1000);
    const [family] = await db
      .insert(refreshTokenFamilies)
      .values({
        tenantId: input.tenantId,
        clientRef: input.clientRef,
        userId: input.userId,
        sessionId: input.sessionId,
        scopes: [...input.scopes],
        authTime: input.authTime,
        delivery: input.delivery,
        absoluteExpiresAt,
      })
      .returning();
    const token = randomToken(32);
    await db.insert(refreshTokens).values({
      tokenHash: tokenHash(token),
      familyId: family!.id,
      expiresAt: earliest(new Date(now.getTime() + input.idleTtlSeconds * 1000), absoluteExpiresAt),
    });
    return { token, family: family! };
  }

  /**
   * Rotates `token` for `clientRef` at `tenantId`, or throws {@link RefreshRejected}. `precheck`
   * runs on the live family before anything is written (e.g. a scope check), so a request refused
   * there does not consume the token.
   *
   * The common case — a valid token used for the first time — takes two autocommit statements: a
   * prepared lookup and one atomic "mark used + insert successor" statement. Anything else (a used
   * token, an invalid one, or losing a race for it) goes through the locked transaction, which
   * owns reuse detection, the grace window and revocations.
   */
  async rotate(
    token: string,
    tenantId: string,
    clientRef: string,
    idleTtlSeconds: number,
    precheck: (family: RefreshTokenFamily) => void = () => {},
    now = new Date(),
  ): Promise<RotationResult> {
    const hash = tokenHash(token);
    const [row] = await this.#lookup.execute({ hash });
    if (row !== undefined && row.token.usedAt === null && checkRow(row, tenantId, clientRef, now) === undefined) {
      precheck(row.family);
      const successor = this.#successor(token);
      const inserted = await this.pool.query({
        name: 'lanyard-refresh-rotate',
        text: ROTATE,
        values: [hash, tokenHash(successor), now, earliest(new Date(now.getTime() + idleTtlSeconds * 1000), row.family.absoluteExpiresAt)],
      });
      if (inserted.rowCount === 1) return { token: successor, family: row.family, user: row.user, replayedWithinGrace: false };
    }
    return this.#rotateLocked(token, hash, tenantId, clientRef, idleTtlSeconds, precheck, now);
  }

  async #rotateLocked(
    token: string,
    hash: Buffer,
    tenantId: string,
    clientRef: string,
    idleTtlSeconds: number,
    precheck: (family: RefreshTokenFamily) => void,
    now: Date,
  ): Promise<RotationResult> {
    const outcome = await this.db.transaction(async (tx) => {
      // FOR UPDATE serialises concurrent uses of one token: the second waits, then sees used_at.
      const [row] = await tx
        .select(LOOKUP_COLUMNS)
        .from(refreshTokens)
        .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
        .innerJoin(users, eq(users.id, refreshTokenFamilies.userId))
        .leftJoin(sessions, eq(sessions.id, refreshTokenFamilies.sessionId))
        .where(eq(refreshTokens.tokenHash, hash))
        .for('update', { of: refreshTokens });
      const rejected = row === undefined ? new RefreshRejected('unknown') : checkRow(row, tenantId, clientRef, now);
      if (rejected !== undefined) {
        if (rejected.reason === 'user_disabled') await this.#revoke(tx as unknown as Database, row!.family.id, 'user_disabled', now);
        return { error: rejected };
      }
      const { family } = row!;
      try {
        precheck(family);
      } catch (error) {
        return { error: error as Error };
      }
      const successor = this.#successor(token);
      if (row!.token.usedAt === null) {
        await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.tokenHash, hash));
        await tx.insert(refreshTokens).values({
          tokenHash: tokenHash(successor),
          familyId: family.id,
          expiresAt: earliest(new Date(now.getTime() + idleTtlSeconds * 1000), family.absoluteExpiresAt),
        });
        return { result: { token: successor, family, user: row!.user, replayedWithinGrace: false } };
      }
      const withinGrace = now.getTime() - row!.token.usedAt.getTime() <= this.graceSeconds * 1000;
      if (withinGrace) {
        const [next] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash(successor)));
        // Only while the chain has not moved on: once the successor was itself used, this is reuse.
        if (next !== undefined && next.usedAt === null) return { result: { token: successor, family, user: row!.user, replayedWithinGrace: true } };
      }
      await this.#revoke(tx as unknown as Database, family.id, 'reuse_detected', now);
      return { error: new RefreshRejected('reuse') };
    });
    // Errors are thrown after the transaction so revocations above are committed, not rolled back.
    if ('error' in outcome) throw outcome.error;
    return outcome.result!;
  }

  /** The family behind a token if it is live and belongs to `clientRef` (introspection, revocation). */
  async findActive(token: string, tenantId: string, now = new Date()): Promise<RefreshTokenFamily | undefined> {
    const [row] = await this.db
      .select({ family: refreshTokenFamilies, expiresAt: refreshTokens.expiresAt, usedAt: refreshTokens.usedAt })
      .from(refreshTokens)
      .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
      .where(and(eq(refreshTokens.tokenHash, tokenHash(token)), eq(refreshTokenFamilies.tenantId, tenantId)));
    if (row === undefined || row.family.revokedAt !== null || row.usedAt !== null) return undefined;
    if (row.expiresAt <= now || row.family.absoluteExpiresAt <= now) return undefined;
    return row.family;
  }

  /** The family a token belongs to, live or not (revocation must work on any token of a family). */
  async findFamily(token: string, tenantId: string): Promise<RefreshTokenFamily | undefined> {
    const [row] = await this.db
      .select({ family: refreshTokenFamilies })
      .from(refreshTokens)
      .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
      .where(and(eq(refreshTokens.tokenHash, tokenHash(token)), eq(refreshTokenFamilies.tenantId, tenantId)));
    return row?.family;
  }

  revokeFamily(familyId: string, reason: string, now = new Date()): Promise<void> {
    return this.#revoke(this.db, familyId, reason, now);
  }

  /** Revokes every family created in a browser session (logout). */
  async revokeSessionFamilies(sessionId: string, reason: string, now = new Date()): Promise<void> {
    await this.db
      .update(refreshTokenFamilies)
      .set({ revokedAt: now, revokedReason: reason })
      .where(and(eq(refreshTokenFamilies.sessionId, sessionId), isNull(refreshTokenFamilies.revokedAt)));
  }

  async #revoke(db: Database, familyId: string, reason: string, now: Date): Promise<void> {
    await db
      .update(refreshTokenFamilies)
      .set({ revokedAt: sql`coalesce(${refreshTokenFamilies.revokedAt}, ${now})`, revokedReason: sql`coalesce(${refreshTokenFamilies.revokedReason}, ${reason})` })
      .where(eq(refreshTokenFamilies.id, familyId));
  }

  #successor(token: string): string {
    return createHmac('sha256', this.successorKey).update(token, 'utf8').digest('base64url');
  }
}

const earliest = (a: Date, b: Date) => (a < b ? a : b);

const LOOKUP_COLUMNS = { token: refreshTokens, family: refreshTokenFamilies, user: users, session: sessions };

interface LookupRow {
  readonly token: RefreshToken;
  readonly family: RefreshTokenFamily;
  readonly user: User;
  readonly session: Session | null;
}

/**
 * Marks the token used and inserts its successor in one atomic statement; no row when the token
 * was used meanwhile (a concurrent refresh won) or its family was revoked meanwhile.
 */
const ROTATE = `with used as (
    update refresh_tokens set used_at = $3
    where token_hash = $1 and used_at is null
      and exists (select 1 from refresh_token_families f where f.id = refresh_tokens.family_id and f.revoked_at is null)
    returning family_id)
  insert into refresh_tokens (token_hash, family_id, created_at, expires_at)
  select $2, family_id, $3, $4 from used`;

/**
 * Why a looked-up token cannot be rotated, if it cannot: another tenant or client, a revoked or
 * expired family, a disabled user, or — without offline_access — an ended browser session.
 */
function checkRow(row: LookupRow, tenantId: string, clientRef: string, now: Date): RefreshRejected | undefined {
  const { family } = row;
  if (family.tenantId !== tenantId) return new RefreshRejected('unknown');
  if (family.clientRef !== clientRef) return new RefreshRejected('wrong_client');
  if (family.revokedAt !== null) return new RefreshRejected('revoked');
  if (family.absoluteExpiresAt <= now || row.token.expiresAt <= now) return new RefreshRejected('expired');
  if (row.user.disabled) return new RefreshRejected('user_disabled');
  const sessionLive = row.session !== null && row.session.revokedAt === null && row.session.expiresAt > now;
  if (!family.scopes.includes('offline_access') && !sessionLive) return new RefreshRejected('session_ended');
  return undefined;
}
