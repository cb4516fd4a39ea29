import { InvalidGrant } from '@lanyard/errors';

/**
 * A used authorization code came back. What its first redemption issued has been revoked by the
 * time this is thrown (RFC 6749 §4.1.2, RFC 9700 §4.5); audited as `code_replay`, not a plain
 * `invalid_grant`, because it may mean a stolen code.
 */
export class CodeReplayed extends InvalidGrant {
  constructor() {
    super('The authorization code has already been used.', { detail: 'code replay' });
  }
}
