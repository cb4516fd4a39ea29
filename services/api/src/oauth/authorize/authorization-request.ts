/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636, OIDC Core §3.1.2.1). */
export interface AuthorizationRequest {
  readonly tenantId: string;
  readonly tenant: string;
  readonly clientId: string;
  readonly clientRef: string;
  readonly redirectUri: string;
  readonly state: string | null;
  readonly nonce: string | null;
  readonly scopes: readonly string[];
  readonly codeChallenge: string;
  readonly prompt: readonly ('none' | 'login' | 'consent')[];
  /** OIDC `max_age` in seconds, or null. */
  readonly maxAge: number | null;
  readonly loginHint: string | null;
}
