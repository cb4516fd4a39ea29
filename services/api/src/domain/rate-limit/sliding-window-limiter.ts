import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisGuard } from '../../infra/redis-guard.js';
import type { LimitDecision, LimitPolicy, LimitRequest } from './limit-policy.js';
import type { LocalWindowLimiter } from './local-window-limiter.js';
import { SLIDING_WINDOW_SCRIPT } from './sliding-window-script.js';

/** What endpoints need of the limiter. */
export type RateLimiter = Pick<SlidingWindowLimiter, 'hit' | 'decide'>;

interface WindowCommands {
  lanyardWindow(key: string, limit: number, windowMs: number, cost: number): Promise<[number, number, number, number]>;
}

/**
 * Sliding-window rate limits shared by every replica through Redis ({@link SLIDING_WINDOW_SCRIPT}):
 * one small hash per subject, O(1) memory, and one round trip per batch — {@link decide} sends all
 * of a request's limit checks in one pipeline. Subjects are hashed into the key, so e-mail
 * addresses never appear in Redis, and every key carries a hash tag for Redis Cluster.
 *
 * When Redis is unreachable or slow, the {@link RedisGuard} fails the call within its deadline and
 * the per-process fallback decides at `limit / replicas` (docs/reference/rate-limits.md): requests
 * are neither refused wholesale nor let through unlimited, and never wait on Redis.
 */
export class SlidingWindowLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly guard: RedisGuard,
    private readonly fallback: LocalWindowLimiter,
  ) {
    redis.defineCommand('lanyardWindow', { numberOfKeys: 1, lua: SLIDING_WINDOW_SCRIPT });
  }

  /** Counts one event of `subject` against `policy`. */
  async hit(policy: LimitPolicy, subject: string): Promise<LimitDecision> {
    return (await this.decide([{ policy, subject, cost: 1 }]))[0]!;
  }

  /** Several limit calls of one request in a single round trip, decided in order. */
  async decide(requests: readonly LimitRequest[]): Promise<LimitDecision[]> {
    if (requests.length === 0) return [];
    try {
      const replies = await this.guard.run(async () => {
        const pipeline = this.redis.pipeline() as unknown as WindowCommands & { exec(): Promise<Array<[Error | null, unknown]> | null> };
        for (const r of requests) void pipeline.lanyardWindow(this.#key(r.policy, r.subject), r.policy.limit, r.policy.windowSeconds * 1000, r.cost);
        const results = await pipeline.exec();
        if (results === null) throw new Error('pipeline discarded');
        return results.map(([error, reply]) => {
          if (error !== null) throw error;
          return reply as [number, number, number, number];
        });
      });
      return replies.map(([allowed, waitMs, remaining, resetMs], i) => ({
        policy: requests[i]!.policy,
        allowed: allowed === 1,
        retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
        remaining,
        resetSeconds: Math.ceil(resetMs / 1000),
        degraded: false,
      }));
    } catch {
      // The guard has logged the outage and raised the degraded gauge.
      return requests.map((r) => this.fallback.decide(r));
    }
  }

  #key(policy: LimitPolicy, subject: string): string {
    const digest = createHash('sha256').update(subject).digest('base64url').slice(0, 22);
    return `${this.keyPrefix}rl:{${policy.name}:${digest}}`;
  }
}
