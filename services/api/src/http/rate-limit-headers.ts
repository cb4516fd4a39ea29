import type { LimitDecision } from '../domain/rate-limit/limit-policy.js';

/**
 * The headers of a refusal: `Retry-After` (RFC 9110 §10.2.3) and the IETF `RateLimit-Policy` and
 * `RateLimit` fields (draft-ietf-httpapi-ratelimit-headers: `q` quota, `w` window, `r` remaining,
 * `t` seconds until reset), for the limit that refused — the one with the longest wait.
 */
export function rateLimitHeaders(refused: readonly LimitDecision[]): Record<string, string> {
  const worst = [...refused].sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0];
  if (worst === undefined) return {};
  const name = `"${worst.policy.name}"`;
  return {
    'retry-after': String(worst.retryAfterSeconds),
    'ratelimit-policy': `${name};q=${worst.policy.limit};w=${worst.policy.windowSeconds}`,
    ratelimit: `${name};r=${worst.remaining};t=${worst.retryAfterSeconds}`,
  };
}
