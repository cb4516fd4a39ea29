import { and, eq, gt, isNull } from 'drizzle-orm';
import { sessions, users, type Database, type Session, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { randomToken, tokenHash } from '@lanyard/security';

/** What the authorization endpoint and pages need: the session behind a cookie. */
export type SessionLookup = Pick<SessionService, 'find'>;

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
  ) {}

  async create(tenantId: string, userId: string, amr: readonly string[]): Promise<{ token: string; session: Session }> {
    const now = this.clock();
    const token = randomToken(32);
    const [session] = await this.db
      .insert(sessions)
      .values({
        tenantId,
        userId,
        tokenHash: tokenHash(token),
        authTime: now,
        amr: [...amr],
        createdAt: now,
        expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
      })
      .returning();
    return { token, session: session! };
  }

  /** The live session behind a cookie value at this tenant, with its (enabled) user; else undefined. */
  async find(tenantId: string, token: string | undefined): Promise<ActiveSession | undefined> {
    if (token === undefined || token.length < 32 || token.length > 128) return undefined;
    const [row] = await this.db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(
        and(
          eq(sessions.tokenHash, tokenHash(token)),
          eq(sessions.tenantId, tenantId),
          isNull(sessions.revokedAt),
          gt(sessions.expiresAt, this.clock()),
          eq(users.disabled, false),
        ),
      );
    return row;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.update(sessions).set({ revokedAt: this.clock() }).where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
  }
}
