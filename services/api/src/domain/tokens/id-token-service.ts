import { createHash } from 'node:crypto';
import type { Tenant, User } from '@lanyard/db';
import { ServerError } from '@lanyard/errors';
import type { RegisteredClient } from '../clients/client-service.js';
import type { SigningKeyService } from '../keys/signing-key-service.js';
import { newJti, signJwt } from './jwt.js';
import { userClaims } from './user-claims.js';

export interface IdTokenRequest {
  readonly tenant: Tenant;
  readonly issuer: string;
  readonly client: RegisteredClient;
  readonly user: User;
  readonly scopes: readonly string[];
  readonly authTime: Date;
  readonly nonce: string | null;
  readonly sessionId: string | null;
  readonly accessToken: string;
  readonly lifetimeSeconds: number;
}

/**
 * ID tokens (OIDC Core §2, §3.1.3.6): `aud` is the client, `nonce` echoed from the authorization
 * request, `auth_time` always, `at_hash` binding the access token issued alongside, `sid` for
 * logout. Profile and email claims follow the granted scopes (§5.4).
 */
export class IdTokenService {
  constructor(private readonly keys: SigningKeyService) {}

  async issue(request: IdTokenRequest): Promise<string> {
    const key = (await this.keys.ring(request.tenant.id)).signingKey();
    if (key === undefined) throw new ServerError(undefined, { detail: `tenant ${request.tenant.name} has no signing key` });
    const iat = Math.floor(Date.now() / 1000);
    return signJwt(
      { alg: 'ES256', typ: 'JWT', kid: key.kid },
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
        ...userClaims(request.user, request.scopes),
      },
      key.privateKey,
    );
  }
}

/** OIDC Core §3.1.3.6: left half of the SHA-256 of the access token, base64url (ES256 → SHA-256). */
export function atHash(accessToken: string): string {
  const digest = createHash('sha256').update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}
