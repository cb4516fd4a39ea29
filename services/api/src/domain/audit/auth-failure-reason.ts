/**
 * Why an authentication event failed: a small closed set, because it becomes the `reason` label of
 * `identity_auth_events_total` (bounded cardinality) and lets dashboards group failures without
 * parsing messages. The OAuth codes come from RFC 6749 §5.2; the rest name what we detected.
 */
export type AuthFailureReason =
  | 'invalid_client'
  | 'invalid_grant'
  | 'invalid_request'
  | 'invalid_scope'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_credentials'
  | 'user_disabled'
  | 'code_replay'
  | 'token_reuse'
  | 'rate_limited'
  | 'access_denied'
  | 'invalid_token'
  | 'server_error'
  /** Right password, but the tenant requires a verified address first. */
  | 'email_not_verified'
  /** Sign-up refused by the tenant's policy (`closed`, or `invite-only` without an invitation). */
  | 'signup_not_allowed'
  /** A new password refused by the password policy (too short, common, …). */
  | 'weak_password'
  /** An emailed link that is unknown, of another purpose or tenant, expired, or already used. */
  | 'link_invalid'
  | 'link_expired'
  | 'link_used'
  /** Second factors (docs/reference/mfa.md): the reason names the factor. */
  | 'otp_invalid'
  | 'otp_replayed'
  | 'recovery_invalid'
  | 'webauthn_invalid'
  /** Federation (docs/reference/federation.md): the callback and the linking rule. */
  | 'state_invalid'
  | 'upstream_error'
  | 'upstream_unreachable'
  | 'invalid_id_token'
  | 'unknown_user';

/**
 * The `reason` of a successful `mfa` event: the factor that was used (DESIGN: MFA reasons name the
 * factor), so a panel can tell authenticator apps from recovery codes.
 */
export type MfaFactorUsed = 'otp' | 'recovery' | 'webauthn';
