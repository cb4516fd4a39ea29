import type { ApiConfig } from '@lanyard/config';
import type { RedeemedGrant } from '../../domain/grants/authorization-code-service.js';
import type { AccessTokenIssuer, IssuedAccessToken } from '../../domain/tokens/access-token-service.js';
import type { IdTokenIssuer } from '../../domain/tokens/id-token-service.js';
import type { ClaimsSubject } from '../../domain/tokens/user-claims.js';
import type { GrantRequest } from './grant.js';
import { resolveAudience } from './resolve-audience.js';

/** Who signed in and what was granted: a redeemed code, or a refresh token's family. */
export type UserTokenRequest = Omit<RedeemedGrant, 'user'> & { readonly user: ClaimsSubject };

export interface UserTokenDeps {
  readonly accessTokens: AccessTokenIssuer;
  readonly idTokens: IdTokenIssuer;
  readonly config: Pick<ApiConfig, 'ACCESS_TOKEN_TTL_SECONDS' | 'ID_TOKEN_TTL_SECONDS'>;
}

/** Access token (+ ID token when `openid` was granted) for a user, shared by the code and refresh grants. */
export async function issueUserTokens(grant: GrantRequest, input: UserTokenRequest, deps: UserTokenDeps): Promise<{ access: IssuedAccessToken; idToken: string | undefined }> {
  const { client, tenant, issuer } = grant;
  const access = await deps.accessTokens.issue({
    tenant,
    client,
    subject: input.user.id,
    scopes: input.scopes,
    audience: resolveAudience(grant.params.all('resource'), client.audience, issuer),
    lifetimeSeconds: client.tokenLifetimes.accessToken ?? deps.config.ACCESS_TOKEN_TTL_SECONDS,
    authTime: input.authTime,
    sessionId: input.sessionId,
    userinfoClaims: Object.keys(input.claims?.userinfo ?? {}),
  });
  const idToken = input.scopes.includes('openid')
    ? await deps.idTokens.issue({
        tenant,
        issuer,
        client,
        user: input.user,
        scopes: input.scopes,
        authTime: input.authTime,
        nonce: input.nonce,
        sessionId: input.sessionId,
        claims: input.claims,
        amr: input.amr,
        acr: input.acr,
        accessToken: access.token,
        lifetimeSeconds: client.tokenLifetimes.idToken ?? deps.config.ID_TOKEN_TTL_SECONDS,
      })
    : undefined;
  return { access, idToken };
}
