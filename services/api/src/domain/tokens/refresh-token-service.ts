import { createHmac } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { refreshTokenFamilies, refreshTokens, sessions, users, type Database, type RefreshTokenFamily, type User } from '@lanyard/db';
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
  constructor(
    private readonly db: Database,
    private readonly successorKey: Buffer,
    private readonly graceSeconds: number,
  ) {}

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
    const outcome = await this.db.transaction(async (tx) => {
      // FOR UPDATE serialises concurrent uses of one token: the second waits, then sees used_at.
      const [row] = await tx
        .select({ token: refreshTokens, family: refreshTokenFamilies, user: users, session: sessions })
        .from(refreshTokens)
        .innerJoin(refreshTokenFamilies, eq(refreshTokenFamilies.id, refreshTokens.familyId))
        .innerJoin(users, eq(users.id, refreshTokenFamilies.userId))
        .leftJoin(sessions, eq(sessions.id, refreshTokenFamilies.sessionId))
        .where(eq(refreshTokens.tokenHash, hash))
        .for('update', { of: refreshTokens });
      if (row === undefined || row.family.tenantId !== tenantId) return { error: new RefreshRejected('unknown') };
      const { family } = row;
      if (family.clientRef !== clientRef) return { error: new RefreshRejected('wrong_client') };
      if (family.revokedAt !== null) return { error: new RefreshRejected('revoked') };
      if (family.absoluteExpiresAt <= now || row.token.expiresAt <= now) return { error: new RefreshRejected('expired') };
      if (row.user.disabled) {
        await this.#revoke(tx as unknown as Database, family.id, 'user_disabled', now);
        return { error: new RefreshRejected('user_disabled') };
      }
      if (!family.scopes.includes('offline_access') && (row.session === null || row.session.revokedAt !== null || row.session.expiresAt <= now)) {
        return { error: new RefreshRejected('session_ended') };
      }

      try {
        precheck(family);
      } catch (error) {
        return { error: error as Error };
      }
      const successor = this.#successor(token);
      if (row.token.usedAt === null) {
        await tx.update(refreshTokens).set({ usedAt: now }).where(eq(refreshTokens.tokenHash, hash));
        await tx.insert(refreshTokens).values({
          tokenHash: tokenHash(successor),
          familyId: family.id,
          expiresAt: earliest(new Date(now.getTime() + idleTtlSeconds * 1000), family.absoluteExpiresAt),
        });
        return { result: { token: successor, family, user: row.user, replayedWithinGrace: false } };
      }
      const withinGrace = now.getTime() - row.token.usedAt.getTime() <= this.graceSeconds * 1000;
      if (withinGrace) {
        const [next] = await tx.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, tokenHash(successor)));
        // Only while the chain has not moved on: once the successor was itself used, this is reuse.
        if (next !== undefined && next.usedAt === null) return { result: { token: successor, family, user: row.user, replayedWithinGrace: true } };
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
