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
  | 'server_error';
