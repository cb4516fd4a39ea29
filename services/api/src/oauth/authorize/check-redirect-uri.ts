import { InvalidRedirectUri, InvalidRequest } from '@lanyard/errors';
import type { AuthorizeStep } from './authorize-context.js';
import { matchRedirectUri } from './match-redirect-uri.js';

/**
 * Rules:
 * - `redirect_uri` is required (OIDC Core §3.1.2.1 makes it mandatory; we do for plain OAuth too,
 *   so the token request can bind to it, RFC 6749 §4.1.3);
 * - it must exactly match a registered URI ({@link matchRedirectUri}; loopback ports vary for native
 *   apps only, and only within 1–65535).
 * Failures are shown on the error page and never redirected (RFC 6749 §4.1.2.1): redirecting to an
 * unverified URI is an open redirector and leaks the code (RFC 9700 §4.1).
 */
export const checkRedirectUri: AuthorizeStep = (ctx) => {
  const redirectUri = ctx.params.get('redirect_uri');
  if (redirectUri === undefined) throw new InvalidRequest('Missing required parameter: redirect_uri.');
  if (!matchRedirectUri(redirectUri, ctx.client!)) {
    throw new InvalidRedirectUri('The redirect_uri is not registered for this client.', { detail: `unregistered redirect_uri ${redirectUri.slice(0, 200)}` });
  }
  ctx.redirectUri = redirectUri;
  ctx.result.redirectUri = redirectUri;
};
