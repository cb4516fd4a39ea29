import { and, eq } from 'drizzle-orm';
import { clients, consents, refreshTokenFamilies, type Database } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';

/**
 * Remembered consent: which scopes a user granted a client. Asked once per new scope set; a
 * revocation also revokes the refresh tokens that consent made possible.
 */
export class ConsentService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async granted(userId: string, clientRef: string): Promise<readonly string[]> {
    const [row] = await this.db.select().from(consents).where(and(eq(consents.userId, userId), eq(consents.clientRef, clientRef)));
    return row?.scopes ?? [];
  }

  /** True when every requested scope was granted before. */
  async covers(userId: string, clientRef: string, scopes: readonly string[]): Promise<boolean> {
    const granted = new Set(await this.granted(userId, clientRef));
    return scopes.every((s) => granted.has(s));
  }

  /** Adds scopes to the remembered grant (consent accumulates; it is never narrowed implicitly). */
  async grant(userId: string, clientRef: string, scopes: readonly string[]): Promise<void> {
    const merged = [...new Set([...(await this.granted(userId, clientRef)), ...scopes])].sort();
    const now = this.clock();
    await this.db
      .insert(consents)
      .values({ userId, clientRef, scopes: merged, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [consents.userId, consents.clientRef], set: { scopes: merged, updatedAt: now } });
  }

  /** Every consent of a user, with the client id each was given to. */
  async list(userId: string): Promise<Array<{ clientId: string; scopes: string[]; createdAt: Date; updatedAt: Date }>> {
    return this.db
      .select({ clientId: clients.clientId, scopes: consents.scopes, createdAt: consents.createdAt, updatedAt: consents.updatedAt })
      .from(consents)
      .innerJoin(clients, eq(clients.id, consents.clientRef))
      .where(eq(consents.userId, userId))
      .orderBy(clients.clientId);
  }

  /** Forgets the consent and revokes the client's refresh tokens for this user. Returns false if none existed. */
  async revoke(userId: string, clientRef: string): Promise<boolean> {
    const now = this.clock();
    return this.db.transaction(async (tx) => {
      const deleted = await tx.delete(consents).where(and(eq(consents.userId, userId), eq(consents.clientRef, clientRef))).returning();
      await tx
        .update(refreshTokenFamilies)
        .set({ revokedAt: now, revokedReason: 'consent_revoked' })
        .where(and(eq(refreshTokenFamilies.userId, userId), eq(refreshTokenFamilies.clientRef, clientRef)));
      return deleted.length > 0;
    });
  }
}
