import { createHash } from 'node:crypto';
import type { ClaimsRequest, Tenant } from '@lanyard/db';
import { epochMs, epochSeconds, type Clock } from '@lanyard/clock';
import { ServerError } from '@lanyard/errors';
import type { RegisteredClient } from '../clients/client-service.js';
import type { KeyRings } from '../keys/signing-key-service.js';
import { achievedAcr } from './authentication-context.js';
import { newJti, signJwt, verifyJwt } from './jwt.js';
import { userClaims, type ClaimsSubject } from './user-claims.js';

export interface IdTokenRequest {
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: RegisteredClient;
  readonly user: ClaimsSubject;
  readonly scopes: readonly string[];
  readonly authTime: Date;
  readonly nonce: string | null;
  readonly sessionId: string | null;
  /** The `claims` request parameter of the authorization request (OIDC Core §5.5). */
  readonly claims: ClaimsRequest | null;
  /** RFC 8176 authentication methods and the achieved class of the sign-in behind the grant. */
  readonly amr: readonly string[];
  readonly acr: string | null;
  readonly accessToken: string;
  readonly lifetimeSeconds: number;
}

/** The code and refresh grants issue ID tokens. */
export type IdTokenIssuer = Pick<IdTokenService, 'issue'>;

/** Who an `id_token_hint` names (OIDC RP-Initiated Logout §2). */
export interface IdTokenHint {
  readonly aud: string;
  readonly sub: string;
  readonly sid?: string;
}

/**
 * ID tokens (OIDC Core §2, §3.1.3.6): `aud` is the client, `nonce` echoed from the authorization
 * request, `auth_time`, `amr` (RFC 8176) and `acr` always, `at_hash` binding the access token issued
 * alongside, `sid` for logout. User claims: those requested for the ID token through the `claims`
 * parameter (§5.5); the claims of the granted scopes only when the client opted in — an access
 * token is always issued with the ID token here, so §5.4 returns scope claims from userinfo.
 */
export class IdTokenService {
  constructor(
    private readonly keys: KeyRings,
    private readonly clock: Clock,
  ) {}

  async issue(request: IdTokenRequest): Promise<string> {
    const key = await this.keys.signingKey(request.tenant.id, request.client.idTokenSignedResponseAlg);
    if (key === undefined) throw new ServerError(undefined, { detail: `tenant ${request.tenant.name} has no signing key` });
    const iat = epochSeconds(this.clock);
    const requested = Object.keys(request.claims?.id_token ?? {});
    return signJwt(
      { alg: key.alg, typ: 'JWT', kid: key.kid },
      {
        iss: request.issuer,
        sub: request.user.id,
        aud: request.client.clientId,
        exp: iat + request.lifetimeSeconds,
        iat,
        jti: newJti(),
        auth_time: Math.floor(request.authTime.getTime() / 1000),
        ...(request.nonce === null ? {} : { nonce: request.nonce }),
        at_hash: atHash(request.accessToken),
        ...(request.sessionId === null ? {} : { sid: request.sessionId }),
        acr: request.acr ?? achievedAcr(request.amr),
        ...(request.amr.length === 0 ? {} : { amr: [...request.amr] }),
        ...userClaims(request.user, request.client.idTokenScopeClaims ? request.scopes : [], requested),
      },
      key.privateKey,
    );
  }

  /**
   * An ID token we signed for this tenant, named as `id_token_hint` at logout, or undefined when it
   * is not one. Expiry is ignored: by the time a user logs out the ID token has usually expired,
   * and its signature still proves where it came from.
   */
  async verifyHint(tenant: Tenant, issuer: string, hint: string): Promise<IdTokenHint | undefined> {
    const ring = await this.keys.ring(tenant.id);
    try {
      const { payload } = verifyJwt(hint, {
        typ: 'JWT',
        issuer,
        resolveKey: (kid) => ring.verificationKey(kid),
        now: epochMs(this.clock),
        leewaySeconds: 365 * 86_400,
      });
      if (typeof payload.aud !== 'string' || typeof payload.sub !== 'string') return undefined;
      return { aud: payload.aud, sub: payload.sub, ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}) };
    } catch {
      return undefined;
    }
  }
}

/** OIDC Core §3.1.3.6: left half of the SHA-256 of the access token, base64url (ES256 and RS256 both hash with SHA-256). */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
