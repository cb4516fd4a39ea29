import type { Redis } from 'ioredis';
import { epochMs, type Clock } from '@lanyard/clock';
import type { Logger } from '@lanyard/logger';

/**
 * Sliding-window counter shared by all replicas: the current fixed window's count plus the previous
 * window's count weighted by how much of it still overlaps the sliding window. One script call per
 * request (≈50 µs), two small keys per subject, O(1) memory — unlike a sorted-set log.
 * KEYS: current window, previous window. ARGV: limit, window ms, elapsed ms in the current window.
 */
const SCRIPT = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local elapsed = tonumber(ARGV[3])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
local previous = tonumber(redis.call('GET', KEYS[2]) or '0')
local estimate = previous * ((window - elapsed) / window) + current
if estimate + 1 > limit then
  local wait = window - elapsed
  if previous > 0 and current < limit then
    wait = math.ceil((1 - (limit - 1 - current) / previous) * window) - elapsed
    if wait < 1 then wait = 1 end
  end
  return {0, wait}
end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], window * 2)
return {1, 0}
`;

export interface LimitDecision {
  readonly allowed: boolean;
  /** When refused: how long until a request would be allowed, in whole seconds (for Retry-After). */
  readonly retryAfterSeconds: number;
}

/** What endpoints need of the limiter. */
export type RateLimiter = Pick<SlidingWindowLimiter, 'hit'>;

export class SlidingWindowLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    redis.defineCommand('lanyardSlidingWindow', { numberOfKeys: 2, lua: SCRIPT });
  }

  /**
   * Counts one request of `subject` against `limit` per `windowMs`. If Redis is unreachable the
   * request is allowed (fail open) and logged: a limiter outage must not become a login outage.
   */
  async hit(limiter: string, subject: string, limit: number, windowMs: number): Promise<LimitDecision> {
    const now = epochMs(this.clock);
    const index = Math.floor(now / windowMs);
    // The hash tag keeps both keys of one subject in one cluster slot.
    const base = `${this.keyPrefix}rl:{${limiter}:${subject}}`;
    try {
      const [allowed, waitMs] = (await (this.redis as unknown as LimiterCommands).lanyardSlidingWindow(
        `${base}:${index}`,
        `${base}:${index - 1}`,
        limit,
        windowMs,
        now - index * windowMs,
      )) as [number, number];
      return { allowed: allowed === 1, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    } catch (error) {
      this.log.warn({ err: error, limiter }, 'rate limiter unavailable; allowing request');
      return { allowed: true, retryAfterSeconds: 0 };
    }
  }
}

interface LimiterCommands {
  lanyardSlidingWindow(current: string, previous: string, limit: number, windowMs: number, elapsedMs: number): Promise<unknown>;
}
