import type { ApiConfig } from '@lanyard/config';
import { InvalidScope } from '@lanyard/errors';
import type { AccessTokenIssuer } from '../../domain/tokens/access-token-service.js';
import { parseScope, requireSubset, USER_SCOPES } from '../scopes.js';
import type { GrantRequest, TokenResult } from './grant.js';
import { resolveAudience } from './resolve-audience.js';
import { tokenResponse, type TokenResponseDeps } from './token-response.js';

export interface ClientCredentialsDeps extends TokenResponseDeps {
  readonly accessTokens: AccessTokenIssuer;
  readonly config: Pick<ApiConfig, 'ACCESS_TOKEN_TTL_SECONDS' | 'PUBLIC_URL'>;
}

/**
 * `client_credentials` (RFC 6749 §4.4). Rules (client type and registration are checked at dispatch):
 * - scopes default to the client's registered scopes without user scopes; a requested scope outside
 *   them, or a user scope (`openid`, `offline_access`, …), is `invalid_scope`;
 * - no refresh token (§4.4.3); `sub` is the client id (RFC 9068 §2.2);
 * - no database access: client and key are cached, so this path only signs.
 */
export async function grantClientCredentials(grant: GrantRequest, deps: ClientCredentialsDeps): Promise<TokenResult> {
  const { client, params, tenant, issuer } = grant;
  const registered = client.scopes.filter((s) => !USER_SCOPES.has(s));
  const requested = parseScope(params.get('scope'));
  if (requested?.some((s) => USER_SCOPES.has(s))) throw new InvalidScope('User scopes cannot be granted to a client acting on its own behalf.');
  const scopes = requested ?? registered;
  requireSubset(scopes, registered);

  const access = await deps.accessTokens.issue({
    tenant,
    client,
    subject: client.clientId,
    scopes,
    audience: resolveAudience(params.all('resource'), client.audience, issuer),
    lifetimeSeconds: client.tokenLifetimes.accessToken ?? deps.config.ACCESS_TOKEN_TTL_SECONDS,
  });
  return { body: tokenResponse(grant, { access, scopes }, deps) };
}
