import { InvalidGrant } from '@lanyard/errors';
import type { AuthFailureReason } from '../audit/auth-failure-reason.js';

/** Why a refresh token could not be rotated. */
export type RefreshRejection = 'unknown' | 'wrong_client' | 'revoked' | 'expired' | 'reuse' | 'user_disabled' | 'session_ended' | 'wrong_delivery';

/** A refused refresh (`invalid_grant`, RFC 6749 §5.2); the reason is logged, never sent. */
export class RefreshRejected extends InvalidGrant {
  constructor(
    readonly reason: RefreshRejection,
    message = 'The refresh token is invalid, expired or revoked.',
  ) {
    super(message, { detail: `refresh rejected: ${reason}` });
  }

  /** Reuse is audited as `token_reuse`: it revoked a family and may mean a stolen token. */
  get auditReason(): AuthFailureReason {
    return this.reason === 'reuse' ? 'token_reuse' : 'invalid_grant';
  }
}
