import type { Client } from '@lanyard/db';
import type { GrantHandler } from './grant.js';
import { grantAuthorizationCode, type AuthorizationCodeDeps } from './grant-authorization-code.js';
import { grantClientCredentials, type ClientCredentialsDeps } from './grant-client-credentials.js';
import { grantRefreshToken, type RefreshTokenDeps } from './grant-refresh-token.js';

/** Everything any grant needs; the endpoint passes it, each grant sees only its own part. */
export type GrantDeps = AuthorizationCodeDeps & RefreshTokenDeps & ClientCredentialsDeps;

export interface GrantEntry {
  readonly handle: GrantHandler<GrantDeps>;
  /** The `event` label of `identity_auth_events_total` for this grant. */
  readonly auditEvent: 'token' | 'refresh';
  /** Client types that may use the grant at all, whatever they registered. */
  readonly clientTypes: readonly Client['type'][];
}

/**
 * The grant types the token endpoint serves (RFC 6749 §4, OAuth 2.1 §4): one row each, read as a
 * table like the authorization endpoint's steps. Anything else is `unsupported_grant_type`; a client
 * must also be registered for the grant (checked once, at dispatch).
 */
export const GRANT_TABLE: Readonly<Record<string, GrantEntry>> = Object.freeze({
  authorization_code: { handle: grantAuthorizationCode, auditEvent: 'token', clientTypes: ['confidential', 'public'] },
  refresh_token: { handle: grantRefreshToken, auditEvent: 'refresh', clientTypes: ['confidential', 'public'] },
  // RFC 6749 §4.4: only a client that can authenticate may act on its own behalf.
  client_credentials: { handle: grantClientCredentials, auditEvent: 'token', clientTypes: ['confidential'] },
});

/** The table's row for `grantType`; own properties only, so `constructor` or `__proto__` is no grant. */
export function lookupGrant(grantType: string | undefined): GrantEntry | undefined {
  return grantType !== undefined && Object.hasOwn(GRANT_TABLE, grantType) ? GRANT_TABLE[grantType] : undefined;
}
