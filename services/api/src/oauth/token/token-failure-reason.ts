import { isOAuthError } from '@lanyard/errors';
import type { AuthFailureReason } from '../../domain/audit/auth-failure-reason.js';
import { CodeReplayed } from '../../domain/grants/code-replayed.js';
import { RefreshRejected } from '../../domain/tokens/refresh-rejected.js';

/** OAuth error codes (RFC 6749 §5.2, RFC 8707 §2) and the audit reason each is counted under. */
const BY_CODE: Readonly<Record<string, AuthFailureReason>> = {
  invalid_client: 'invalid_client',
  invalid_grant: 'invalid_grant',
  invalid_request: 'invalid_request',
  invalid_scope: 'invalid_scope',
  unauthorized_client: 'unauthorized_client',
  unsupported_grant_type: 'unsupported_grant_type',
  invalid_target: 'invalid_request',
  slow_down: 'rate_limited',
};

/** Why a token request failed, from the closed set of {@link AuthFailureReason}. */
export function tokenFailureReason(error: unknown): AuthFailureReason {
  if (error instanceof CodeReplayed) return 'code_replay';
  if (error instanceof RefreshRejected) return error.auditReason;
  if (!isOAuthError(error)) return 'server_error';
  if (Object.hasOwn(BY_CODE, error.code)) return BY_CODE[error.code]!;
  return error.status < 500 ? 'invalid_request' : 'server_error';
}
