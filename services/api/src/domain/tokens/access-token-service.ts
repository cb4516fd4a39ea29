import type { Tenant } from '@lanyard/db';
import { epochMs, epochSeconds, type Clock } from '@lanyard/clock';
import { InvalidToken, ServerError } from '@lanyard/errors';
import type { RegisteredClient } from '../clients/client-service.js';
import type { KeyRings } from '../keys/signing-key-service.js';
import type { TenantLookup } from '../tenants/tenant-service.js';
import { newJti, signJwt, verifyJwt, type JwtPayload } from './jwt.js';

/** RFC 9068 §2.1: the media type of JWT access tokens. */
export const ACCESS_TOKEN_TYP = 'at+jwt';

export interface AccessTokenRequest {
  readonly tenant: Tenant;
  readonly client: RegisteredClient;
  /** The user id, or the client id for `client_credentials` (RFC 9068 §2.2). */
  readonly subject: string;
  readonly scopes: readonly string[];
  readonly audience: readonly string[];
  readonly lifetimeSeconds: number;
  readonly authTime?: Date;
  readonly sessionId?: string | null;
  /** Claims the client asked userinfo to return (OIDC Core §5.5), carried to userinfo in the token. */
  readonly userinfoClaims?: readonly string[];
}

export interface IssuedAccessToken {
  readonly token: string;
  readonly jti: string;
  readonly expiresAt: Date;
  readonly expiresIn: number;
}

/** Claims of a verified access token. */
export interface AccessTokenClaims extends JwtPayload {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string | string[];
  readonly client_id: string;
  readonly scope?: string;
  readonly jti: string;
  readonly exp: number;
  readonly iat: number;
  readonly auth_time?: number;
  readonly sid?: string;
  /** Names of claims requested for userinfo through the `claims` parameter (a private claim). */
  readonly userinfo_claims?: readonly string[];
}

/** Grants issue access tokens; protected resources verify them. */
export type AccessTokenIssuer = Pick<AccessTokenService, 'issue'>;
export type AccessTokenVerifier = Pick<AccessTokenService, 'verify'>;

/**
 * Issues and verifies JWT access tokens (RFC 9068) signed with the tenant's current key of the
 * client's `accessTokenSigningAlg` (ES256 by default; RS256 for resource servers that need it,
 * which RFC 9068 §2.1 has every conforming server support).
 */
export class AccessTokenService {
  constructor(
    private readonly tenants: Pick<TenantLookup, 'issuer'>,
    private readonly keys: KeyRings,
    private readonly clock: Clock,
  ) {}

  async issue(request: AccessTokenRequest): Promise<IssuedAccessToken> {
    const key = await this.keys.signingKey(request.tenant.id, request.client.accessTokenSigningAlg);
    if (key === undefined) throw new ServerError(undefined, { detail: `tenant ${request.tenant.name} has no signing key` });
    const iat = epochSeconds(this.clock);
    const exp = iat + request.lifetimeSeconds;
    const jti = newJti();
    const payload: JwtPayload = {
      iss: this.tenants.issuer(request.tenant.name),
      sub: request.subject,
      aud: request.audience.length === 1 ? request.audience[0] : [...request.audience],
      exp,
      iat,
      jti,
      client_id: request.client.clientId,
      ...(request.scopes.length > 0 ? { scope: request.scopes.join(' ') } : {}),
      ...(request.authTime === undefined ? {} : { auth_time: Math.floor(request.authTime.getTime() / 1000) }),
      ...(request.sessionId ? { sid: request.sessionId } : {}),
      ...(request.userinfoClaims === undefined || request.userinfoClaims.length === 0 ? {} : { userinfo_claims: [...request.userinfoClaims] }),
    };
    const token = signJwt({ alg: key.alg, typ: ACCESS_TOKEN_TYP, kid: key.kid }, payload, key.privateKey);
    return { token, jti, expiresAt: new Date(exp * 1000), expiresIn: request.lifetimeSeconds };
  }

  /** Verifies signature, type, issuer and expiry; audience and scope are the caller's policy. */
  async verify(tenant: Tenant, token: string): Promise<AccessTokenClaims> {
    const ring = await this.keys.ring(tenant.id);
    const { payload } = verifyJwt(token, {
      typ: ACCESS_TOKEN_TYP,
      issuer: this.tenants.issuer(tenant.name),
      resolveKey: (kid) => ring.verificationKey(kid),
      now: epochMs(this.clock),
    });
    if (typeof payload.sub !== 'string' || typeof payload.client_id !== 'string' || typeof payload.jti !== 'string') {
      throw new InvalidToken('The access token is invalid or expired.', { detail: 'missing required claims' });
    }
    return payload as AccessTokenClaims;
  }
}
