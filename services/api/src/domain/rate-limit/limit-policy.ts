/** A named limit: at most `limit` events per sliding window of `windowSeconds`. */
export interface LimitPolicy {
  /** Stable name: part of the Redis key and of the `RateLimit-Policy` header. */
  readonly name: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

/** The outcome of one limiter call. */
export interface LimitDecision {
  readonly policy: LimitPolicy;
  readonly allowed: boolean;
  /** When refused: whole seconds until one more would be allowed (`Retry-After`), at least 1. */
  readonly retryAfterSeconds: number;
  /** Events left in the window after this one (`r` of the RateLimit field). */
  readonly remaining: number;
  /** Seconds until the current window ends (`t` of the RateLimit field). */
  readonly resetSeconds: number;
  /** True when Redis was unreachable and the per-process fallback decided. */
  readonly degraded: boolean;
}

/** One call of a batch: `cost` 1 counts, 0 only looks, -1 refunds a reservation. */
export interface LimitRequest {
  readonly policy: LimitPolicy;
  readonly subject: string;
  readonly cost: 1 | 0 | -1;
}
