/** Parameters of {@link backoffDelay}. */
export interface BackoffPolicy {
  /** Delay after the first failure. */
  readonly baseMs: number;
  /** Ceiling of the delay. */
  readonly maxMs: number;
}

/**
 * Per-item exponential backoff with "equal jitter": `base·2^(failures-1)` capped at `max`, then a
 * random point in its upper half. Doubling bounds the load a persistent failure causes (client-go's
 * ItemExponentialFailureRateLimiter); jitter keeps many tenants failing on the same outage from
 * retrying in lockstep; keeping the lower half guarantees the delay still grows.
 *
 * @param failures consecutive failures of the item, starting at 1
 * @param random a number in [0, 1); injectable for tests
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  const capped = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(capped / 2 + random() * (capped / 2));
}
