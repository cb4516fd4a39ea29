import type { Clock } from '@lanyard/clock';
import type { IssuedAccessToken } from '../../domain/tokens/access-token-service.js';
import type { GrantRequest, TokenResponseBody } from './grant.js';
import { setRefreshCookie } from './refresh-delivery.js';

/** Everything one grant issued, in the shape every grant shares. */
export interface IssuedTokens {
  readonly access: IssuedAccessToken;
  readonly scopes: readonly string[];
  readonly idToken?: string;
  /** A refresh token and how it travels: in the body, or only as the HttpOnly cookie of a browser client. */
  readonly refresh?: { readonly token: string; readonly delivery: 'body' | 'cookie'; readonly absoluteExpiresAt: Date };
}

export interface TokenResponseDeps {
  readonly clock: Clock;
  readonly config: { readonly PUBLIC_URL: string };
}

/**
 * The one token response builder (RFC 6749 §5.1, OIDC Core §3.1.3.3): `access_token`,
 * `token_type`, `expires_in`, `scope` when any was granted, `id_token` when issued, and the refresh
 * token — in the body, or set as the browser client's cookie and never in the body.
 */
export function tokenResponse(grant: GrantRequest, tokens: IssuedTokens, deps: TokenResponseDeps): TokenResponseBody {
  const body: Record<string, string | number> = {
    access_token: tokens.access.token,
    token_type: 'Bearer',
    expires_in: tokens.access.expiresIn,
  };
  if (tokens.scopes.length > 0) body.scope = tokens.scopes.join(' ');
  if (tokens.idToken !== undefined) body.id_token = tokens.idToken;
  const { refresh } = tokens;
  if (refresh?.delivery === 'body') body.refresh_token = refresh.token;
  if (refresh?.delivery === 'cookie') {
    const lifetimeSeconds = (refresh.absoluteExpiresAt.getTime() - deps.clock().getTime()) / 1000;
    setRefreshCookie(grant.request, grant.reply, grant.tenant.name, grant.client, refresh.token, lifetimeSeconds, deps.config.PUBLIC_URL);
  }
  return body;
}
