import type { ApiMetrics, AuthEvent } from './api-metrics.js';

/**
 * The `event` values the API emits today (docs/reference/metrics.md). The reserved ones (`signup`,
 * `password_reset`, `email_verification`, `federation`) are left out until their features exist,
 * so no panel shows a zero line for something that cannot happen.
 */
export const EMITTED_AUTH_EVENTS = ['login', 'token', 'refresh', 'logout'] as const satisfies readonly AuthEvent[];

/**
 * Every `reason` of a failed authentication event: the closed set of `AuthFailureReason` in
 * services/api/src/domain/audit/auth-failure-reason.ts, repeated here because packages never import
 * a service (packages/metrics/test checks that both lists agree).
 */
export const AUTH_FAILURE_REASONS = [
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

/**
 * The `limiter` values of `identity_rate_limited_requests_total`: the policy names of
 * services/api/src/domain/rate-limit/rate-limit-policies.ts (docs/reference/rate-limits.md),
 * repeated here like the reasons and checked the same way.
 */
export const RATE_LIMITERS = ['token', 'client-auth-failures', 'network-auth-failures', 'login-burst', 'login-lockout', 'login-account', 'interactions'] as const;

/**
 * Creates, at 0, every series a tenant's panels and alerts read, so they show 0 rather than "No
 * data" before the first failure: `identity_auth_events_total` for each emitted event with
 * `result="success"` and with `result="failure"` × every failure reason (4 × 15 = 60 series), and
 * `identity_rate_limited_requests_total` for each limiter (7). Adding 0 to an existing series
 * changes nothing, so calling it again for a known tenant is harmless.
 */
export function initialiseAuthSeries(metrics: Pick<ApiMetrics, 'authEvents' | 'rateLimited'>, tenant: string): void {
  for (const event of EMITTED_AUTH_EVENTS) {
    metrics.authEvents.inc({ tenant, event, result: 'success', reason: '' }, 0);
    for (const reason of AUTH_FAILURE_REASONS) metrics.authEvents.inc({ tenant, event, result: 'failure', reason }, 0);
  }
  for (const limiter of RATE_LIMITERS) metrics.rateLimited.inc({ tenant, limiter }, 0);
}
