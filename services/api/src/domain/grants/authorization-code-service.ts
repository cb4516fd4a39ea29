import { and, eq, isNull } from 'drizzle-orm';
import { authorizationCodes, type AuthorizationCode, type ClaimsRequest, type Database, type Executor, type User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { InvalidGrant } from '@lanyard/errors';
import { randomToken, tokenHash } from '@lanyard/security';
import type { AccessTokenDenylist } from '../tokens/access-token-denylist.js';
import type { RefreshTokenService } from '../tokens/refresh-token-service.js';
import type { UserService } from '../users/user-service.js';
import { CodeReplayed } from './code-replayed.js';
import { pkceMatches } from './pkce-matches.js';

export interface NewAuthorizationCode {
  readonly tenantId: string;
  readonly clientRef: string;
  readonly userId: string;
  readonly sessionId: string | null;
  readonly redirectUri: string;
  readonly codeChallenge: string | null;
  readonly scopes: readonly string[];
  readonly nonce: string | null;
  readonly authTime: Date;
  readonly claims: ClaimsRequest | null;
  readonly amr: readonly string[];
  readonly acr: string;
}

/** A token request's claim on a code (RFC 6749 §4.1.3, RFC 7636 §4.5). */
export interface CodeRedemption {
  readonly code: string;
  readonly tenantId: string;
  readonly clientRef: string;
  readonly redirectUri: string;
  /** Absent when the request carried none; allowed only if the code was issued without a challenge. */
  readonly codeVerifier: string | undefined;
}

/** What a successful redemption grants: who signed in, and what the authorization request decided. */
export interface RedeemedGrant {
  readonly user: User;
  readonly scopes: readonly string[];
  readonly authTime: Date;
  readonly sessionId: string | null;
  readonly nonce: string | null;
  readonly claims: ClaimsRequest | null;
  readonly amr: readonly string[];
  readonly acr: string | null;
}

/** What the issuing step reports back, so that a replay of the code can revoke it. */
export interface IssuedForCode {
  readonly refreshFamilyId: string | null;
  readonly accessTokenJti: string;
  readonly accessTokenExpiresAt: Date;
}

/** Issues tokens for a redeemed code, inside the redemption's transaction. */
export type IssueForCode<T> = (grant: RedeemedGrant, tx: Executor) => Promise<{ readonly issued: IssuedForCode; readonly result: T }>;

/** The authorization endpoint creates codes, the token endpoint redeems them. */
export type CodeIssuer = Pick<AuthorizationCodeService, 'create'>;
export type CodeRedeemer = Pick<AuthorizationCodeService, 'redeem'>;

interface ReplayRevocation {
  readonly refreshTokens: Pick<RefreshTokenService, 'revokeFamily'>;
  readonly denylist: Pick<AccessTokenDenylist, 'add'>;
}

/**
 * Authorization codes (RFC 6749 §4.1.2): 256 random bits, stored hashed, single use, expiring
 * after AUTHORIZATION_CODE_TTL_SECONDS (≤ 60 s), bound to the client, the redirect URI and the PKCE
 * challenge. The service owns the whole redemption as one unit of work.
 */
export class AuthorizationCodeService {
  constructor(
    private readonly db: Database,
    private readonly ttlSeconds: number,
    private readonly users: Pick<UserService, 'findById'>,
    private readonly revocation: ReplayRevocation,
    private readonly clock: Clock,
  ) {}

  async create(input: NewAuthorizationCode): Promise<string> {
    const code = randomToken(32);
    const now = this.clock();
    await this.db.insert(authorizationCodes).values({
      ...input,
      scopes: [...input.scopes],
      amr: [...input.amr],
      codeHash: tokenHash(code),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.ttlSeconds * 1000),
    });
    return code;
  }

  /**
   * Redeems a code and issues tokens for it through `issue`, all in one transaction. Rules:
   * - the code exists at this tenant, was issued to this client, has not expired, and the
   *   `redirect_uri` is the one of the authorization request, character for character (§4.1.3);
   * - the verifier matches the stored S256 challenge (RFC 7636 §4.6); a stored challenge always
   *   needs its verifier, and a code issued without one refuses a verifier (a downgrade attempt,
   *   RFC 9700 §2.1.1);
   * - none of these checks consumes the code, so a wrong guess by another party cannot burn it;
   * - consumption is atomic: of concurrent redemptions exactly one wins (the row lock serialises
   *   them; the loser sees `consumed_at` set);
   * - the user must still exist and be enabled;
   * - a replay, sequential or concurrent, revokes what the first redemption issued and throws
   *   {@link CodeReplayed} (RFC 6749 §4.1.2, RFC 9700 §4.5).
   */
  async redeem<T>(redemption: CodeRedemption, issue: IssueForCode<T>): Promise<T> {
    const row = await this.#find(redemption.code);
    if (row === undefined || row.tenantId !== redemption.tenantId) throw new InvalidGrant('The authorization code is invalid.', { detail: 'unknown code' });
    if (row.clientRef !== redemption.clientRef) throw new InvalidGrant('The authorization code was issued to another client.', { detail: 'code of another client' });
    if (row.consumedAt !== null) return this.#rejectReplay(row);
    if (row.expiresAt <= this.clock()) throw new InvalidGrant('The authorization code has expired.', { detail: 'expired code' });
    if (row.redirectUri !== redemption.redirectUri) throw new InvalidGrant('redirect_uri does not match the authorization request.', { detail: 'redirect_uri mismatch' });
    if (row.codeChallenge === null) {
      if (redemption.codeVerifier !== undefined) throw new InvalidGrant('code_verifier was sent for an authorization request without code_challenge.', { detail: 'PKCE downgrade' });
    } else {
      if (redemption.codeVerifier === undefined) throw new InvalidGrant('code_verifier is required: the authorization request carried a code_challenge.', { detail: 'missing code_verifier' });
      if (!pkceMatches(redemption.codeVerifier, row.codeChallenge)) throw new InvalidGrant('PKCE verification failed.', { detail: 'code_verifier mismatch' });
    }

    const outcome = await this.db.transaction(async (tx) => {
      if (!(await this.#consume(tx, row.codeHash))) return { replay: true as const };
      const user = await this.users.findById(row.tenantId, row.userId, tx);
      if (user === undefined || user.disabled) return { disabled: true as const };
      const { issued, result } = await issue({ user, scopes: row.scopes, authTime: row.authTime, sessionId: row.sessionId, nonce: row.nonce, claims: row.claims, amr: row.amr, acr: row.acr }, tx);
      await tx
        .update(authorizationCodes)
        .set({ issuedFamilyId: issued.refreshFamilyId, issuedAccessTokenJti: issued.accessTokenJti, issuedAccessTokenExpiresAt: issued.accessTokenExpiresAt })
        .where(eq(authorizationCodes.codeHash, row.codeHash));
      return { result };
    });
    if ('replay' in outcome) return this.#rejectReplay((await this.#find(redemption.code))!);
    if ('disabled' in outcome) throw new InvalidGrant('The user is no longer allowed to sign in.', { detail: 'user disabled or deleted' });
    return outcome.result;
  }

  async #find(code: string): Promise<AuthorizationCode | undefined> {
    const [row] = await this.db.select().from(authorizationCodes).where(eq(authorizationCodes.codeHash, tokenHash(code)));
    return row;
  }

  async #consume(tx: Executor, codeHash: Buffer): Promise<boolean> {
    const consumed = await tx
      .update(authorizationCodes)
      .set({ consumedAt: this.clock() })
      .where(and(eq(authorizationCodes.codeHash, codeHash), isNull(authorizationCodes.consumedAt)))
      .returning({ codeHash: authorizationCodes.codeHash });
    return consumed.length === 1;
  }

  /** A used code came back: revoke what its first redemption issued, then refuse (RFC 6749 §4.1.2). */
  async #rejectReplay(row: AuthorizationCode): Promise<never> {
    if (row.issuedFamilyId !== null) await this.revocation.refreshTokens.revokeFamily(row.issuedFamilyId, 'code_replay');
    if (row.issuedAccessTokenJti !== null && row.issuedAccessTokenExpiresAt !== null) {
      await this.revocation.denylist.add(row.issuedAccessTokenJti, row.issuedAccessTokenExpiresAt);
    }
    throw new CodeReplayed();
  }
}
