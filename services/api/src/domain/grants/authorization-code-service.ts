import { and, eq, isNull } from 'drizzle-orm';
import { authorizationCodes, type AuthorizationCode, type Database } from '@lanyard/db';
import { randomToken, tokenHash } from '@lanyard/security';

export interface NewAuthorizationCode {
  readonly tenantId: string;
  readonly clientRef: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly scopes: readonly string[];
  readonly nonce: string | null;
  readonly authTime: Date;
}

/**
 * Authorization codes (RFC 6749 §4.1.2): 256 random bits, stored hashed, single use, expiring
 * after AUTHORIZATION_CODE_TTL_SECONDS (≤ 60 s).
 */
export class AuthorizationCodeService {
  constructor(
    private readonly db: Database,
    private readonly ttlSeconds: number,
  ) {}

  async create(input: NewAuthorizationCode, now = new Date()): Promise<string> {
    const code = randomToken(32);
    await this.db.insert(authorizationCodes).values({
      ...input,
      scopes: [...input.scopes],
      codeHash: tokenHash(code),
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
    });
    return code;
  }

  async find(db: Database, code: string): Promise<AuthorizationCode | undefined> {
    const [row] = await db.select().from(authorizationCodes).where(eq(authorizationCodes.codeHash, tokenHash(code)));
    return row;
  }

  /**
   * Marks the code used, atomically: of any number of concurrent redemptions exactly one sees
   * `true` (the row lock serialises them; the loser sees `consumed_at` set).
   */
  async consume(db: Database, codeHash: Buffer, now = new Date()): Promise<boolean> {
    const consumed = await db
      .update(authorizationCodes)
      .set({ consumedAt: now })
      .where(and(eq(authorizationCodes.codeHash, codeHash), isNull(authorizationCodes.consumedAt)))
      .returning({ codeHash: authorizationCodes.codeHash });
    return consumed.length === 1;
  }

  /** Remembers what the redemption issued, so a replay can revoke it. */
  async recordIssued(db: Database, codeHash: Buffer, issued: { familyId: string | null; jti: string; accessTokenExpiresAt: Date }): Promise<void> {
    await db
      .update(authorizationCodes)
      .set({ issuedFamilyId: issued.familyId, issuedAccessTokenJti: issued.jti, issuedAccessTokenExpiresAt: issued.accessTokenExpiresAt })
      .where(eq(authorizationCodes.codeHash, codeHash));
  }
}
