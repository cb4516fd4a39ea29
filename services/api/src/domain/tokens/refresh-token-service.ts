import { createHmac } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { InvalidScope } from '@lanyard/errors';
import { refreshTokenFamilies, refreshTokens, sessions, StatementBatcher, users, type ClaimsRequest, type Database, type Executor, type RefreshToken, type RefreshTokenFamily, type Session, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { randomToken, tokenHash } from '@lanyard/security';
import { RefreshRejected } from './refresh-rejected.js';
import { rotateLiveToken, rotateLiveTokens, type LiveRotated, type LiveRotation } from './rotate-live-token.js';
import type { ClaimsSubject } from './user-claims.js';

export interface NewFamily {
  readonly tenantId: string;
  readonly clientRef: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly scopes: readonly string[];
  readonly authTime: Date;
  /** What the grant asked for and achieved, so refreshed ID tokens and userinfo say the same. */
  readonly claims: ClaimsRequest | null;
  readonly amr: readonly string[];
  readonly acr: string | null;
  readonly delivery: 'cookie' | 'body';
  readonly idleTtlSeconds: number;
  readonly absoluteTtlSeconds: number;
}

/** A refresh request's claim on a token: which tenant and client present it. */
export interface RotationRequest {
  readonly token: string;
  readonly tenantId: string;
  readonly clientRef: string;
  readonly idleTtlSeconds: number;
  /** How the token came: a family delivered in a cookie is never refreshed from a body, and back. */
  readonly delivery: 'cookie' | 'body';
  /** A narrower `scope` for this refresh (RFC 6749 §6); never wider than the family's grant. */
  readonly narrowScopes?: readonly string[];
}

export interface RotationResult {
  readonly token: string;
  readonly family: RefreshTokenFamily;
  readonly user: ClaimsSubject;
  /** True when a racing request inside the grace window got the successor already issued. */
  readonly replayedWithinGrace: boolean;
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
  readonly #liveRotations: StatementBatcher<LiveRotation, LiveRotated>;

  constructor(
    private readonly db: Database,
    private readonly successorKey: Buffer,
    private readonly graceSeconds: number,
    private readonly clock: Clock,
  ) {
    // Concurrent refreshes share one statement and one commit (see StatementBatcher). Three in
    // flight leave most of the pool to everything else; 64 rows keep one statement's reply small.
    this.#liveRotations = new StatementBatcher(
      (rotations) => rotateLiveTokens(db, rotations),
      (rotation) => rotateLiveToken(db, rotation),
      (rotation) => rotation.hash.toString('latin1'),
      { maxBatch: 64, maxInFlight: 3 },
    );
  }

  async createFamily(input: NewFamily, executor: Executor = this.db): Promise<{ token: string; family: RefreshTokenFamily }> {
    const now = this.clock();
    const absoluteExpiresAt = new Date(now.getTime() + input.absoluteTtlSeconds * 1000);
    const [family] = await executor
      .insert(refreshTokenFamilies)
      .values({
        tenantId: input.tenantId,
        clientRef: input.clientRef,
        userId: input.userId,
        sessionId: input.sessionId,
        scopes: [...input.scopes],
        authTime: input.authTime,
        claims: input.claims,
        amr: [...input.amr],
        acr: input.acr,
        delivery: input.delivery,
        createdAt: now,
        absoluteExpiresAt,
      })
      .returning();
    const token = randomToken(32);
    await executor.insert(refreshTokens).values({
      tokenHash: tokenHash(token),
      familyId: family!.id,
      createdAt: now,
      expiresAt: earliest(new Date(now.getTime() + input.idleTtlSeconds * 1000), absoluteExpiresAt),
    });
    return { token, family: family! };
  }

  /**
   * Rotates the presented token, or throws {@link RefreshRejected} (`invalid_grant`) or
   * `invalid_scope`. A refused request writes nothing, except that a disabled user's or a reused
   * token's family is revoked.
   *
   * The common case — a valid token used for the first time — is one autocommit statement that
   * checks every rule, marks the token used and inserts its successor ({@link rotateLiveToken});
   * refreshes that arrive together share it ({@link rotateLiveTokens}).
   * Anything else (a used, invalid or refused token, or losing a race for it) goes through the
   * locked transaction, which names the broken rule and owns reuse detection, the grace window and
   * revocations.
   */
  async rotate(request: RotationRequest): Promise<RotationResult> {
    const now = this.clock();
    const hash = tokenHash(request.token);
    const successor = this.#successor(request.token);
    const rotated = await this.#liveRotations.submit({
      hash,
      successorHash: tokenHash(successor),
      now,
      idleExpiresAt: new Date(now.getTime() + request.idleTtlSeconds * 1000),
      tenantId: request.tenantId,
      clientRef: request.clientRef,
      delivery: request.delivery,
      narrowScopes: request.narrowScopes,
    });
    if (rotated !== undefined) return { token: successor, family: rotated.family, user: rotated.user, replayedWithinGrace: false };
    return this.#rotateLocked(request, hash, successor, now);
  }

  async #rotateLocked(request: RotationRequest, hash: Buffer, successor: string, now: Date): Promise<RotationResult> {
    const outcome = await this.db.transaction(async (tx) => {
      // FOR UPDATE serialises concurrent uses of one token: the second waits, then sees used_at.
      const [row] = await selectLookup(tx).where(eq(refreshTokens.tokenHash, hash)).for('update', { of: refreshTokens });
      const rejected = row === undefined ? new RefreshRejected('unknown') : checkRow(row, request, now);
      if (rejected !== undefined) {
        if (rejected.reason === 'user_disabled') await this.#revoke(tx, row!.family.id, 'user_disabled', now);
        return { error: rejected };
      }
      const { family } = row!;
      const widened = scopeBeyondGrant(request, family);
      if (widened !== undefined) return { error: widened };
      if (row!.token.usedAt === null) {
        await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.tokenHash, hash));
        await tx.insert(refreshTokens).values({
          tokenHash: tokenHash(successor),
          familyId: family.id,
          createdAt: now,
          expiresAt: earliest(new Date(now.getTime() + request.idleTtlSeconds * 1000), family.absoluteExpiresAt),
        });
        return { result: { token: successor, family, user: row!.user, replayedWithinGrace: false } };
      }
      const withinGrace = now.getTime() - row!.token.usedAt.getTime() <= this.graceSeconds * 1000;
      if (withinGrace) {
        const [next] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash(successor)));
        // Only while the chain has not moved on: once the successor was itself used, this is reuse.
        if (next !== undefined && next.usedAt === null) return { result: { token: successor, family, user: row!.user, replayedWithinGrace: true } };
      }
      await this.#revoke(tx, family.id, 'reuse_detected', now);
      return { error: new RefreshRejected('reuse') };
    });
    // Errors are thrown after the transaction so revocations above are committed, not rolled back.
    if ('error' in outcome) throw outcome.error;
    return outcome.result!;
  }

  /** The family behind a token if the token is live (introspection). */
  async findActive(token: string, tenantId: string): Promise<RefreshTokenFamily | undefined> {
    const row = await this.#findWithToken(token, tenantId);
    const now = this.clock();
    if (row === undefined || row.family.revokedAt !== null || row.token.usedAt !== null) return undefined;
    if (row.token.expiresAt <= now || row.family.absoluteExpiresAt <= now) return undefined;
    return row.family;
  }

  /** The family a token belongs to, live or not (revocation must work on any token of a family). */
  async findFamily(token: string, tenantId: string): Promise<RefreshTokenFamily | undefined> {
    return (await this.#findWithToken(token, tenantId))?.family;
  }

  revokeFamily(familyId: string, reason: string): Promise<void> {
    return this.#revoke(this.db, familyId, reason, this.clock());
  }

  /** Revokes every family created in a browser session (logout). */
  async revokeSessionFamilies(sessionId: string, reason: string): Promise<void> {
    await this.db
      .update(refreshTokenFamilies)
      .set({ revokedAt: this.clock(), revokedReason: reason })
      .where(and(eq(refreshTokenFamilies.sessionId, sessionId), isNull(refreshTokenFamilies.revokedAt)));
  }

  async #findWithToken(token: string, tenantId: string): Promise<{ token: RefreshToken; family: RefreshTokenFamily } | undefined> {
    const [row] = await this.db
      .select({ token: refreshTokens, family: refreshTokenFamilies })
      .from(refreshTokens)
      .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
      .where(and(eq(refreshTokens.tokenHash, tokenHash(token)), eq(refreshTokenFamilies.tenantId, tenantId)));
    return row;
  }

  async #revoke(db: Executor, familyId: string, reason: string, now: Date): Promise<void> {
    // coalesce: the first revocation's time and reason win (a later logout does not overwrite "reuse").
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

/**
 * The one lookup behind a rotation: the token with its family, user and (optional) session. Both
 * the prepared fast path and the locked path extend it with their `where`.
 */
function selectLookup(executor: Executor) {
  return executor
    .select({ token: refreshTokens, family: refreshTokenFamilies, user: users, session: sessions })
    .from(refreshTokens)
    .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
    .innerJoin(users, eq(users.id, refreshTokenFamilies.userId))
    .leftJoin(sessions, eq(sessions.id, refreshTokenFamilies.sessionId))
    .$dynamic();
}

interface LookupRow {
  readonly token: RefreshToken;
  readonly family: RefreshTokenFamily;
  readonly user: User;
  readonly session: Session | null;
}

/**
 * Why a looked-up token cannot be rotated, if it cannot: another tenant or client, a revoked or
 * expired family, a disabled user, an ended browser session (without offline_access), or a token
 * presented the wrong way. {@link rotateLiveToken}'s statement applies the same rules.
 */
function checkRow(row: LookupRow, request: Pick<RotationRequest, 'tenantId' | 'clientRef' | 'delivery'>, now: Date): RefreshRejected | undefined {
  const { family } = row;
  if (family.tenantId !== request.tenantId) return new RefreshRejected('unknown');
  if (family.clientRef !== request.clientRef) return new RefreshRejected('wrong_client');
  if (family.revokedAt !== null) return new RefreshRejected('revoked');
  if (family.absoluteExpiresAt <= now || row.token.expiresAt <= now) return new RefreshRejected('expired');
  if (row.user.disabled) return new RefreshRejected('user_disabled');
  const sessionLive = row.session !== null && row.session.revokedAt === null && row.session.expiresAt > now;
  if (!family.scopes.includes('offline_access') && !sessionLive) return new RefreshRejected('session_ended');
  if (family.delivery !== request.delivery) return new RefreshRejected('wrong_delivery', 'The refresh token was presented the wrong way.');
  return undefined;
}

/** `invalid_scope` for a scope the family was not granted (RFC 6749 §6: "MUST NOT include any scope not originally granted"). */
function scopeBeyondGrant(request: Pick<RotationRequest, 'narrowScopes'>, family: RefreshTokenFamily): InvalidScope | undefined {
  const extra = request.narrowScopes?.find((scope) => !family.scopes.includes(scope));
  return extra === undefined ? undefined : new InvalidScope(`Scope "${extra}" was not granted to this refresh token.`);
}
