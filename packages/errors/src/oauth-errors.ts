import { LanyardError, type LanyardErrorOptions } from './lanyard-error.js';

/**
 * An OAuth 2.0 error, answered as `{"error", "error_description"}` (RFC 6749 §5.2) on the token-style
 * endpoints or as redirect parameters (§4.1.2.1) from the authorization endpoint. The class name
 * mirrors the wire code (`InvalidGrant` ↔ `invalid_grant`).
 */
export class OAuthError extends LanyardError {
  /** Extra response headers, e.g. `WWW-Authenticate` for `invalid_client` with Basic auth (§5.2). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: string, status: number, description: string, options: LanyardErrorOptions & { headers?: Record<string, string> } = {}) {
    super(code, status, description, options);
    this.headers = options.headers ?? {};
  }

  /** The `error_description` sent on the wire. */
  get description(): string {
    return this.message;
  }
}

type Opts = LanyardErrorOptions & { headers?: Record<string, string> };

const define = (code: string, status: number, fallback: string) =>
  class extends OAuthError {
    static readonly code = code;
    constructor(description: string = fallback, options: Opts = {}) {
      super(code, status, description, options);
    }
  };

// RFC 6749 §4.1.2.1 and §5.2
export class InvalidRequest extends define('invalid_request', 400, 'The request is missing a parameter or is otherwise malformed.') {}
export class InvalidClient extends define('invalid_client', 401, 'Client authentication failed.') {}
export class InvalidGrant extends define('invalid_grant', 400, 'The grant is invalid, expired or revoked.') {}
export class UnauthorizedClient extends define('unauthorized_client', 400, 'The client is not allowed to use this grant type.') {}
export class UnsupportedGrantType extends define('unsupported_grant_type', 400, 'The grant type is not supported.') {}
export class UnsupportedResponseType extends define('unsupported_response_type', 400, 'The response type is not supported.') {}
export class InvalidScope extends define('invalid_scope', 400, 'The requested scope is invalid or exceeds what was granted.') {}
export class AccessDenied extends define('access_denied', 403, 'The resource owner or server denied the request.') {}
export class ServerError extends define('server_error', 500, 'The server encountered an unexpected condition.') {}
export class TemporarilyUnavailable extends define('temporarily_unavailable', 503, 'The server is temporarily unavailable.') {}
// OIDC Core §3.1.2.6
export class LoginRequired extends define('login_required', 400, 'End-user authentication is required.') {}
export class ConsentRequired extends define('consent_required', 400, 'End-user consent is required.') {}
export class InteractionRequired extends define('interaction_required', 400, 'End-user interaction is required.') {}
export class RequestNotSupported extends define('request_not_supported', 400, 'Request objects are not supported.') {}
export class RequestUriNotSupported extends define('request_uri_not_supported', 400, 'request_uri is not supported.') {}
// RFC 6750 §3.1
export class InvalidToken extends define('invalid_token', 401, 'The access token is invalid.') {}
export class InsufficientScope extends define('insufficient_scope', 403, 'The access token lacks the required scope.') {}
// RFC 6749 §4.1.2.1 says an invalid redirect URI must not be redirected to; this code is only shown on our error page.
export class InvalidRedirectUri extends define('invalid_redirect_uri', 400, 'The redirect URI is not registered for this client.') {}
export class InvalidRequestUri extends define('invalid_request_uri', 400, 'The request_uri is invalid.') {}
// RFC 8707 §2
export class InvalidTarget extends define('invalid_target', 400, 'The requested resource is invalid or not allowed for this client.') {}
export class SlowDown extends define('slow_down', 429, 'Too many requests; slow down.') {}

/** True for errors whose wire form is the OAuth one. */
export function isOAuthError(error: unknown): error is OAuthError {
  return error instanceof OAuthError;
}
