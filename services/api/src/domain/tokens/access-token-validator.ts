import type { Tenant, User } from '@lanyard/db';
import { InvalidToken } from '@lanyard/errors';
import type { ClientLookup, RegisteredClient } from '../clients/client-service.js';
import type { UserLookup } from '../users/user-service.js';
import type { AccessTokenDenylist } from './access-token-denylist.js';
import type { AccessTokenClaims, AccessTokenVerifier } from './access-token-service.js';

/** An access token that is still good: its claims, the client holding it, and its user (if any). */
export interface ValidatedAccessToken {
  readonly claims: AccessTokenClaims;
  readonly client: RegisteredClient;
  /** The signed-in user for user tokens; absent for `client_credentials` tokens. */
  readonly user?: User;
}

export interface AccessTokenValidatorDeps {
  readonly accessTokens: AccessTokenVerifier;
  readonly denylist: Pick<AccessTokenDenylist, 'has'>;
  readonly clients: ClientLookup;
  readonly users: Pick<UserLookup, 'findById'>;
}

/** Where protected resources (admin API, userinfo) and introspection accept our access tokens. */
export type AccessTokenCheck = Pick<AccessTokenValidator, 'validate'>;

const invalid = (detail: string) => new InvalidToken('The access token is invalid, expired or revoked.', { detail });

/**
 * The one set of checks applied wherever we accept our own access tokens (userinfo, introspection,
 * the admin API), so revocation means the same everywhere. Rules:
 * - signature, `typ`, issuer and expiry ({@link AccessTokenVerifier.verify});
 * - not revoked: neither its `jti` (RFC 7009 §2) nor its session (`sid`, once that session was
 *   ended) is on the deny-list;
 * - its client still exists, is the same registration that was live when the token was issued
 *   (a client deleted and recreated under the same id does not revive old tokens), is not
 *   disabled, and still holds every scope and audience the token carries — so removing
 *   `lanyard:admin` from a client ends its admin tokens at once;
 * - a user token's user still exists, is enabled, and has not had a new password since it was issued.
 * Costs one Redis lookup and cached reads of the client; the user lookup only for user tokens.
 */
export class AccessTokenValidator {
  constructor(private readonly deps: AccessTokenValidatorDeps) {}

  async validate(tenant: Tenant, issuer: string, token: string): Promise<ValidatedAccessToken> {
    const claims = await this.deps.accessTokens.verify(tenant, token);
    const [revoked, client] = await Promise.all([this.deps.denylist.has(claims.jti, claims.sid), this.deps.clients.find(tenant.id, claims.client_id)]);
    if (revoked) throw invalid('revoked jti');
    if (client === undefined) throw invalid('client no longer exists');
    if (claims.iat < Math.floor(client.createdAt.getTime() / 1000)) throw invalid('issued to an earlier client of the same id');
    if (client.disabled) throw invalid('client disabled');
    const scopes = (claims.scope ?? '').split(' ').filter((s) => s !== '');
    if (scopes.some((s) => !client.scopes.includes(s))) throw invalid('a granted scope was removed from the client');
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (audiences.some((a) => a !== issuer && !client.audience.includes(a))) throw invalid('an audience was removed from the client');
    if (claims.auth_time === undefined) return { claims, client };
    const user = await this.deps.users.findById(tenant.id, claims.sub);
    if (user === undefined || user.disabled) throw invalid('no active user');
    // A new password (changed, reset, set by an admin) ends the user's sessions and refresh tokens
    // in its transaction; this ends the access tokens too. Whole seconds, as `iat` is: a token from
    // the same second as the change is kept, so a sign-in right after it is never refused.
    if (user.passwordChangedAt !== null && claims.iat < Math.floor(user.passwordChangedAt.getTime() / 1000)) throw invalid('issued before the password changed');
    return { claims, client, user };
  }
}
