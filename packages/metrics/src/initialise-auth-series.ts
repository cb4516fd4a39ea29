import type { ApiMetrics, AuthEvent } from './api-metrics.js';

/**
 * The `event` values the API emits (docs/reference/metrics.md).
 */
export const EMITTED_AUTH_EVENTS = ['login', 'token', 'refresh', 'logout', 'signup', 'email_verification', 'password_reset', 'mfa', 'federation'] as const satisfies readonly AuthEvent[];

/** The reasons of the protocol events (sign-in and token endpoint), the ones they have had since the start. */
const PROTOCOL_REASONS = [
  'invalid_client',
  'invalid_grant',
  'invalid_request',
  'invalid_scope',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_credentials',
  'user_disabled',
  'code_replay',
  'token_reuse',
  'rate_limited',
  'access_denied',
  'invalid_token',
  'server_error',
] as const;

/** The reasons of the account events (docs/reference/accounts.md), and of an unverified sign-in. */
const ACCOUNT_REASONS = ['email_not_verified', 'signup_not_allowed', 'weak_password', 'link_invalid', 'link_expired', 'link_used'] as const;

/** The reasons of a failed second factor; each names the factor (docs/reference/mfa.md). */
const MFA_REASONS = ['otp_invalid', 'otp_replayed', 'recovery_invalid', 'webauthn_invalid'] as const;

/** The reasons of a failed federated sign-in (docs/reference/federation.md). */
const FEDERATION_REASONS = ['state_invalid', 'upstream_error', 'upstream_unreachable', 'invalid_id_token', 'unknown_user'] as const;

/** The `reason` of a successful `mfa` event: the factor used, where other events have "". */
export const MFA_FACTORS_USED = ['otp', 'recovery', 'webauthn'] as const;

/**
 * Every `reason` of a failed authentication event: the closed set of `AuthFailureReason` in
 * services/api/src/domain/audit/auth-failure-reason.ts, repeated here because packages never import
 * a service (packages/metrics/test checks that both lists agree).
 */
export const AUTH_FAILURE_REASONS = [...PROTOCOL_REASONS, ...ACCOUNT_REASONS, ...MFA_REASONS, ...FEDERATION_REASONS] as const;

/**
 * The `limiter` values of `identity_rate_limited_requests_total`: the policy names of
 * services/api/src/domain/rate-limit/rate-limit-policies.ts (docs/reference/rate-limits.md),
 * repeated here like the reasons and checked the same way.
 */
export const RATE_LIMITERS = ['token', 'client-auth-failures', 'network-auth-failures', 'login-burst', 'login-lockout', 'login-account', 'interactions', 'account-requests', 'emails-per-address'] as const;

const LINK_REASONS = ['link_invalid', 'link_expired', 'link_used'] as const satisfies readonly (typeof ACCOUNT_REASONS)[number][];

/**
 * The failure reasons each event is initialised with: the ones it can actually have, so a tenant's
 * series stay few (95, not 9 × 30). A reason outside its event's list still counts; its series
 * just appears with its first occurrence.
 */
export const AUTH_EVENT_REASONS = {
  login: [...PROTOCOL_REASONS, 'email_not_verified'],
  token: PROTOCOL_REASONS,
  refresh: PROTOCOL_REASONS,
  logout: PROTOCOL_REASONS,
  signup: ['signup_not_allowed', 'weak_password', 'rate_limited', 'invalid_request', ...LINK_REASONS],
  email_verification: LINK_REASONS,
  password_reset: [...LINK_REASONS, 'weak_password'],
  mfa: [...MFA_REASONS, 'rate_limited'],
  federation: [...FEDERATION_REASONS, 'email_not_verified', 'user_disabled', 'rate_limited'],
} as const satisfies Record<(typeof EMITTED_AUTH_EVENTS)[number], readonly (typeof AUTH_FAILURE_REASONS)[number][]>;

/**
 * Creates, at 0, every series a tenant's panels and alerts read, so they show 0 rather than "No
 * data" before the first failure: `identity_auth_events_total` for each emitted event with
 * `result="success"` and with `result="failure"` × each of that event's reasons
 * ({@link AUTH_EVENT_REASONS}; `mfa` successes once per factor, {@link MFA_FACTORS_USED}), and `identity_rate_limited_requests_total` for each
 * limiter (9). Adding 0 to an existing series changes nothing, so calling it again for a known
 * tenant is harmless.
 */
export function initialiseAuthSeries(metrics: Pick<ApiMetrics, 'authEvents' | 'rateLimited'>, tenant: string): void {
  for (const event of EMITTED_AUTH_EVENTS) {
    if (event === 'mfa') for (const factor of MFA_FACTORS_USED) metrics.authEvents.inc({ tenant, event, result: 'success', reason: factor }, 0);
    else metrics.authEvents.inc({ tenant, event, result: 'success', reason: '' }, 0);
    for (const reason of AUTH_EVENT_REASONS[event]) metrics.authEvents.inc({ tenant, event, result: 'failure', reason }, 0);
  }
  for (const limiter of RATE_LIMITERS) metrics.rateLimited.inc({ tenant, limiter }, 0);
}
