import { OAuthError } from '@lanyard/errors';
import type { RedirectableError } from '../../http/error-handler.js';
import { authorizationResponseUrl } from './authorization-response.js';

/**
 * An OAuth error delivered to the client's (already validated) redirect URI (RFC 6749 §4.1.2.1);
 * the single error handler sees `redirectTo` and answers with a 303 instead of a page.
 */
export class AuthorizationRedirectError extends OAuthError implements RedirectableError {
  readonly redirectTo: string;

  constructor(cause: OAuthError, redirectUri: string, issuer: string, state: string | null) {
    super(cause.code, 303, cause.message, { detail: cause.detail });
    this.redirectTo = authorizationResponseUrl(redirectUri, issuer, state, { error: cause.code, error_description: cause.message });
  }
}
