import type { ApiConfig } from '@lanyard/config';
import { InvalidRequest } from '@lanyard/errors';
import type { RefreshTokenService } from '../../domain/tokens/refresh-token-service.js';
import { refreshCookieName } from '../cookies.js';
import { parseScope } from '../scopes.js';
import type { GrantRequest, TokenResult } from './grant.js';
import { issueUserTokens, type UserTokenDeps } from './issue-user-tokens.js';
import { checkCookieRefresh } from './refresh-delivery.js';
import { tokenResponse, type TokenResponseDeps } from './token-response.js';

export interface RefreshTokenDeps extends UserTokenDeps, TokenResponseDeps {
  readonly refreshTokens: Pick<RefreshTokenService, 'rotate'>;
  readonly config: Pick<ApiConfig, 'ACCESS_TOKEN_TTL_SECONDS' | 'ID_TOKEN_TTL_SECONDS' | 'REFRESH_TOKEN_IDLE_TTL_SECONDS' | 'PUBLIC_URL'>;
}

/**
 * `refresh_token` (RFC 6749 §6, RFC 9700 §4.14). Rules:
 * - the token belongs to this client (`invalid_grant` otherwise);
 * - the token comes the way its family was delivered: in the body, or — for browser clients —
 *   from the HttpOnly cookie with an allowed Origin and the CSRF header (never a cookie family's
 *   token in a body, never a body family's token from a cookie);
 * - `scope` may narrow but never widen the original grant (`invalid_scope`, token not consumed);
 * - rotation, reuse detection and the grace window are {@link RefreshTokenService.rotate}'s;
 * - the successor keeps the family's absolute expiry; an ID token comes back when `openid` was
 *   granted (OIDC Core §12.2).
 */
export async function grantRefreshToken(grant: GrantRequest, deps: RefreshTokenDeps): Promise<TokenResult> {
  const { client, params, tenant, request } = grant;
  const fromBody = params.get('refresh_token');
  const fromCookie = request.cookies[refreshCookieName(client.clientId)];
  let presented: { token: string; via: 'body' | 'cookie' };
  if (fromBody !== undefined) presented = { token: fromBody, via: 'body' };
  else if (fromCookie !== undefined && client.type === 'public') {
    checkCookieRefresh(request, client);
    presented = { token: fromCookie, via: 'cookie' };
  } else throw new InvalidRequest('Missing required parameter: refresh_token.');
  const requested = parseScope(params.get('scope'));

  const rotation = await deps.refreshTokens.rotate({
    token: presented.token,
    tenantId: tenant.id,
    clientRef: client.id,
    idleTtlSeconds: client.tokenLifetimes.refreshTokenIdle ?? deps.config.REFRESH_TOKEN_IDLE_TTL_SECONDS,
    delivery: presented.via,
    narrowScopes: requested,
  });
  const { family, user } = rotation;
  const scopes = requested ?? family.scopes;
  const tokens = await issueUserTokens(
    grant,
    { user, scopes, authTime: family.authTime, sessionId: family.sessionId, nonce: null, claims: family.claims, amr: family.amr, acr: family.acr },
    deps,
  );
  const refresh = { token: rotation.token, delivery: presented.via, absoluteExpiresAt: family.absoluteExpiresAt };
  return { body: tokenResponse(grant, { access: tokens.access, scopes, idToken: tokens.idToken, refresh }, deps), userId: user.id };
}
