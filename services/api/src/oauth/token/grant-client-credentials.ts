import { InvalidScope, InvalidTarget, UnauthorizedClient } from '@lanyard/errors';
import type { TokenContext, TokenResponse } from './token-context.js';
import { parseScope, requireSubset, USER_SCOPES } from '../scopes.js';

/**
 * `client_credentials` (RFC 6749 §4.4). Rules:
 * - confidential clients only, registered for this grant (`unauthorized_client` otherwise);
 * - scopes default to the client's registered scopes without user scopes; a requested scope outside
 *   them, or a user scope (`openid`, `offline_access`, …), is `invalid_scope`;
 * - no refresh token (§4.4.3); `sub` is the client id (RFC 9068 §2.2);
 * - no database access: client and key are cached, so this path only signs.
 */
export async function grantClientCredentials(ctx: TokenContext): Promise<TokenResponse> {
  const { client, params, tenant } = ctx;
  if (client.type !== 'confidential' || !client.grantTypes.includes('client_credentials')) {
    throw new UnauthorizedClient('This client may not use the client_credentials grant.');
  }
  const registered = client.scopes.filter((s) => !USER_SCOPES.has(s));
  const requested = parseScope(params.get('scope'));
  if (requested?.some((s) => USER_SCOPES.has(s))) throw new InvalidScope('User scopes cannot be granted to a client acting on its own behalf.');
  const scopes = requested ?? registered;
  requireSubset(scopes, registered);

  const audience = resolveAudience(params.all('resource'), client.audience, ctx.issuer);
  const access = await ctx.services.accessTokens.issue({
    tenant,
    client,
    subject: client.clientId,
    scopes,
    audience,
    lifetimeSeconds: client.tokenLifetimes.accessToken ?? ctx.config.ACCESS_TOKEN_TTL_SECONDS,
  });
  return {
    body: { access_token: access.token, token_type: 'Bearer', expires_in: access.expiresIn, ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}) },
  };
}

/**
 * RFC 8707: `resource` narrows the audience to registered values; without it the token is for all
 * the client's registered audiences, or for the issuer itself when none are registered.
 */
export function resolveAudience(resources: readonly string[], registered: readonly string[], issuer: string): string[] {
  if (resources.length === 0) return registered.length > 0 ? [...registered] : [issuer];
  const unknown = resources.find((r) => !registered.includes(r));
  if (unknown !== undefined) throw new InvalidTarget(`Resource "${unknown}" is not an audience of this client.`);
  return [...resources];
}
