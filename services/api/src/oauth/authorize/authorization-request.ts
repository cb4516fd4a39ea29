import type { ClaimsRequest } from '@lanyard/db';

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
  /** S256 challenge, or null for a confidential client whose PKCE policy is `optional` and sent none. */
  readonly codeChallenge: string | null;
  /** OIDC Core §5.5 `claims` parameter, or null. */
  readonly claims: ClaimsRequest | null;
  /** Requested authentication context classes (`acr_values`), in preference order. */
  readonly acrValues: readonly string[];
  readonly prompt: readonly ('none' | 'login' | 'consent')[];
  /** OIDC `max_age` in seconds, or null. */
  readonly maxAge: number | null;
  readonly loginHint: string | null;
}
