import type { ApiConfig } from '@lanyard/config';
import { InvalidRequest } from '@lanyard/errors';
import type { CodeRedeemer } from '../../domain/grants/authorization-code-service.js';
import type { SigningKeyService } from '../../domain/keys/signing-key-service.js';
import type { RefreshTokenService } from '../../domain/tokens/refresh-token-service.js';
import type { GrantRequest, TokenResult } from './grant.js';
import { issueUserTokens, type UserTokenDeps } from './issue-user-tokens.js';
import { refreshDelivery } from './refresh-delivery.js';
import { tokenResponse, type TokenResponseDeps } from './token-response.js';

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

export interface AuthorizationCodeDeps extends UserTokenDeps, TokenResponseDeps {
  readonly codes: CodeRedeemer;
  readonly refreshTokens: Pick<RefreshTokenService, 'createFamily'>;
  readonly keys: Pick<SigningKeyService, 'ring'>;
  readonly config: Pick<
    ApiConfig,
    'ACCESS_TOKEN_TTL_SECONDS' | 'ID_TOKEN_TTL_SECONDS' | 'REFRESH_TOKEN_IDLE_TTL_SECONDS' | 'REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS' | 'PUBLIC_URL'
  >;
}

/**
 * `authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6). Rules here (the code's own rules —
 * binding, expiry, PKCE match, single use, replay — are {@link CodeRedeemer.redeem}'s):
 * - `code` and `redirect_uri` are present; `code_verifier` too, unless the client's PKCE policy is
 *   `optional` (the code service then checks it matches how the code was issued); a verifier
 *   that is sent is well-formed;
 * - a refresh token is issued only to clients registered for `refresh_token`, in a cookie for
 *   browser clients and in the body otherwise; the delivery is decided before the code is spent.
 */
export async function grantAuthorizationCode(grant: GrantRequest, deps: AuthorizationCodeDeps): Promise<TokenResult> {
  const { client, params, tenant, request } = grant;
  const code = params.require('code');
  const redirectUri = params.require('redirect_uri');
  const codeVerifier = params.get('code_verifier');
  // A client whose policy is `optional` may redeem without one, if its code was issued without a challenge.
  if (codeVerifier === undefined && client.pkce === 'required') throw new InvalidRequest('Missing required parameter: code_verifier (PKCE is required).');
  if (codeVerifier !== undefined && !VERIFIER.test(codeVerifier)) throw new InvalidRequest('code_verifier must be 43-128 characters of [A-Za-z0-9._~-].');
  const delivery = client.grantTypes.includes('refresh_token') ? refreshDelivery(request, client) : undefined;

  // The tokens are signed inside the redemption's transaction, which holds the code's row lock. The
  // tenant's key ring is loaded (on its first load, a key is created) before that: loading it in
  // there takes a second pool connection, and with the pool full of redemptions of the same code
  // waiting on the lock, none would come until the checkout timed out.
  await deps.keys.ring(tenant.id);
  const redeemed = await deps.codes.redeem({ code, tenantId: tenant.id, clientRef: client.id, redirectUri, codeVerifier }, async (redeemedGrant, tx) => {
    const { user, scopes, authTime, sessionId, claims, amr, acr } = redeemedGrant;
    const family =
      delivery === undefined
        ? undefined
        : await deps.refreshTokens.createFamily(
            {
              tenantId: tenant.id,
              clientRef: client.id,
              userId: user.id,
              sessionId,
              scopes,
              authTime,
              claims,
              amr,
              acr,
              delivery,
              idleTtlSeconds: client.tokenLifetimes.refreshTokenIdle ?? deps.config.REFRESH_TOKEN_IDLE_TTL_SECONDS,
              absoluteTtlSeconds: client.tokenLifetimes.refreshTokenAbsolute ?? deps.config.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS,
            },
            tx,
          );
    const tokens = await issueUserTokens(grant, redeemedGrant, deps);
    return {
      issued: { refreshFamilyId: family?.family.id ?? null, accessTokenJti: tokens.access.jti, accessTokenExpiresAt: tokens.access.expiresAt },
      result: { user, scopes, tokens, family },
    };
  });

  const { user, scopes, tokens, family } = redeemed;
  const refresh = family === undefined || delivery === undefined ? undefined : { token: family.token, delivery, absoluteExpiresAt: family.family.absoluteExpiresAt };
  return { body: tokenResponse(grant, { access: tokens.access, scopes, idToken: tokens.idToken, refresh }, deps), userId: user.id };
}
