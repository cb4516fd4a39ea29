import { hash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { StatementBatcher } from '@lanyard/db';
import type { RedisGuard } from '../../infra/redis-guard.js';
import type { LimitDecision, LimitPolicy, LimitRequest } from './limit-policy.js';
import type { LocalWindowLimiter } from './local-window-limiter.js';
import { SLIDING_WINDOW_SCRIPT } from './sliding-window-script.js';

/** What endpoints need of the limiter. */
export type RateLimiter = Pick<SlidingWindowLimiter, 'hit' | 'decide'>;

interface WindowCommands {
  /** KEYS then ARGV (limit, window ms, cost per key); numberOfKeys is passed first. */
  lanyardWindow(numberOfKeys: number, ...keysAndArgs: Array<string | number>): Promise<number[]>;
}

const REPLY_FIELDS = 4;

/**
 * Sliding-window rate limits shared by every replica through Redis ({@link SLIDING_WINDOW_SCRIPT}):
 * one small hash per subject, O(1) memory, and one script call per batch — {@link decide} sends all
 * of a request's limit checks together, and concurrent requests' checks share one call (a
 * {@link StatementBatcher} without keys: the script decides them in the order they came, so two
 * requests of one client in one call count exactly as two calls would). Subjects are hashed into
 * the key, so e-mail addresses never appear in Redis, and every key carries a hash tag for Redis
 * Cluster.
 *
 * When Redis is unreachable or slow, the {@link RedisGuard} fails the call within its deadline and
 * the per-process fallback decides at `limit / replicas` (docs/reference/rate-limits.md): requests
 * are neither refused wholesale nor let through unlimited, and never wait on Redis.
 */
export class SlidingWindowLimiter {
  readonly #calls: StatementBatcher<readonly LimitRequest[], LimitDecision[]>;

  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly guard: RedisGuard,
    private readonly fallback: LocalWindowLimiter,
  ) {
    // The number of keys varies per call, so it is passed with each call.
    redis.defineCommand('lanyardWindow', { lua: SLIDING_WINDOW_SCRIPT });
    // Under load a script call costs Redis ~4 µs and the API ~5 µs less per request when it carries
    // several requests (docs/benchmarks.md). 32 requests (≤ ~100 keys) keep one run well under a
    // millisecond of Redis's single thread; calls in flight overlap, so one slow reply does not
    // hold up everything queued behind it.
    this.#calls = new StatementBatcher(
      (groups) => this.#decideAll(groups),
      async (group) => (await this.#decideAll([group]))[0]!,
      undefined,
      { maxBatch: 32, maxInFlight: 4 },
    );
  }

  /** Counts one event of `subject` against `policy`. */
  async hit(policy: LimitPolicy, subject: string): Promise<LimitDecision> {
    return (await this.decide([{ policy, subject, cost: 1 }]))[0]!;
  }

  /** Several limit calls of one request in a single round trip, decided in order. */
  async decide(requests: readonly LimitRequest[]): Promise<LimitDecision[]> {
    if (requests.length === 0) return [];
    return this.#calls.submit(requests);
  }

  /** One guarded script call for several requests' checks; never throws (the fallback decides instead). */
  async #decideAll(groups: ReadonlyArray<readonly LimitRequest[]>): Promise<LimitDecision[][]> {
    const requests = groups.length === 1 ? groups[0]! : groups.flat();
    let decisions: LimitDecision[];
    try {
      const flat = await this.guard.run(() => this.#call(requests));
      decisions = requests.map((request, i) => {
        const [allowed = 0, waitMs = 0, remaining = 0, resetMs = 0] = flat.slice(i * REPLY_FIELDS, (i + 1) * REPLY_FIELDS);
        return { policy: request.policy, allowed: allowed === 1, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)), remaining, resetSeconds: Math.ceil(resetMs / 1000), degraded: false };
      });
    } catch {
      // The guard has logged the outage and raised the degraded gauge.
      decisions = requests.map((r) => this.fallback.decide(r));
    }
    let offset = 0;
    return groups.map((group) => decisions.slice(offset, (offset += group.length)));
  }

  /**
   * One script call for the whole batch: one write, one round trip, one script run (a token request
   * decides three limits; three calls cost it ~30 µs of CPU, mostly in socket writes). On Redis
   * Cluster, whose scripts may only touch one slot, each key gets a call of its own, sent together.
   */
  async #call(requests: readonly LimitRequest[]): Promise<number[]> {
    const commands = this.redis as unknown as WindowCommands;
    const args = (batch: readonly LimitRequest[]) => [
      ...batch.map((r) => this.#key(r.policy, r.subject)),
      ...batch.flatMap((r) => [r.policy.limit, r.policy.windowSeconds * 1000, r.cost]),
    ];
    if ((this.redis as { isCluster?: boolean }).isCluster !== true) return commands.lanyardWindow(requests.length, ...args(requests));
    return (await Promise.all(requests.map((r) => commands.lanyardWindow(1, ...args([r]))))).flat();
  }

  #key(policy: LimitPolicy, subject: string): string {
    // One-shot hash: the same digest as createHash's, without a Hash object per key.
    return `${this.keyPrefix}rl:{${policy.name}:${hash('sha256', subject, 'base64url').slice(0, 22)}}`;
  }
}
