import { InvalidGrant, InvalidRequest, UnauthorizedClient } from '@lanyard/errors';
import { refreshCookieName } from '../cookies.js';
import { parseScope, requireSubset } from '../scopes.js';
import { issueUserTokens } from './issue-user-tokens.js';
import { checkCookieRefresh, setRefreshCookie } from './refresh-delivery.js';
import type { TokenContext, TokenResponse } from './token-context.js';

/**
 * `refresh_token` (RFC 6749 §6, RFC 9700 §4.14). Rules:
 * - the client is registered for the grant and the token belongs to it (`invalid_grant` otherwise);
 * - the token comes the way its family was delivered: in the body, or — for browser clients —
 *   from the HttpOnly cookie with an allowed Origin and the CSRF header (never a cookie family's
 *   token in a body, never a body family's token from a cookie);
 * - `scope` may narrow but never widen the original grant (`invalid_scope`, token not consumed);
 * - rotation, reuse detection and the grace window are {@link RefreshTokenService.rotate}'s;
 * - the successor keeps the family's absolute expiry; an ID token comes back when `openid` was
 *   granted (OIDC Core §12.2).
 */
export async function grantRefreshToken(ctx: TokenContext): Promise<TokenResponse> {
  const { client, params, tenant, services: app, request, reply } = ctx;
  if (!client.grantTypes.includes('refresh_token')) throw new UnauthorizedClient('This client may not use refresh tokens.');
  const fromBody = params.get('refresh_token');
  const fromCookie = request.cookies[refreshCookieName(client.clientId)];
  let presented: { token: string; via: 'body' | 'cookie' };
  if (fromBody !== undefined) presented = { token: fromBody, via: 'body' };
  else if (fromCookie !== undefined && client.type === 'public') {
    checkCookieRefresh(request, client);
    presented = { token: fromCookie, via: 'cookie' };
  } else throw new InvalidRequest('Missing required parameter: refresh_token.');
  const requested = parseScope(params.get('scope'));

  const rotation = await app.refreshTokens.rotate(
    presented.token,
    tenant.id,
    client.id,
    client.tokenLifetimes.refreshTokenIdle ?? ctx.config.REFRESH_TOKEN_IDLE_TTL_SECONDS,
    (family) => {
      if (family.delivery !== presented.via) throw new InvalidGrant('The refresh token was presented the wrong way.', { detail: `${family.delivery} token via ${presented.via}` });
      if (requested !== undefined) requireSubset(requested, family.scopes);
    },
  );
  const { family, user } = rotation;
  const scopes = requested ?? family.scopes;
  const tokens = await issueUserTokens(ctx, { user, scopes, authTime: family.authTime, sessionId: family.sessionId, nonce: null });

  const body: Record<string, string | number> = {
    access_token: tokens.access.token,
    token_type: 'Bearer',
    expires_in: tokens.access.expiresIn,
    scope: scopes.join(' '),
  };
  if (tokens.idToken !== undefined) body.id_token = tokens.idToken;
  if (presented.via === 'cookie') {
    setRefreshCookie(request, reply, tenant.name, client, rotation.token, (family.absoluteExpiresAt.getTime() - Date.now()) / 1000, ctx.config.PUBLIC_URL);
  } else {
    body.refresh_token = rotation.token;
  }
  return { body, userId: user.id };
}
