import { epochMs, type Clock } from '@lanyard/clock';
import type { LimitDecision, LimitRequest } from './limit-policy.js';

interface Windows {
  index: number;
  current: number;
  previous: number;
}

/**
 * The same sliding window as the Redis script, in this process only: the fallback while Redis is
 * unreachable. Each replica then enforces `limit / replicas` on its own, so the fleet as a whole
 * stays near the configured limit. Bounded (oldest subjects are forgotten first): under a flood of
 * distinct subjects a forgotten one starts again from zero, which is the price of never letting
 * the fallback itself exhaust memory.
 */
export class LocalWindowLimiter {
  readonly #subjects = new Map<string, Windows>();

  constructor(
    private readonly replicas: number,
    private readonly clock: Clock,
    private readonly maxSubjects = 50_000,
  ) {}

  decide(request: LimitRequest): LimitDecision {
    const { policy, cost } = request;
    const limit = Math.max(1, Math.ceil(policy.limit / this.replicas));
    const windowMs = policy.windowSeconds * 1000;
    const now = epochMs(this.clock);
    const index = Math.floor(now / windowMs);
    const elapsed = now - index * windowMs;
    const key = `${policy.name}\u0000${request.subject}`;
    const windows = this.#advance(this.#subjects.get(key), index);
    const estimate = windows.previous * ((windowMs - elapsed) / windowMs) + windows.current;
    const reset = windowMs - elapsed;
    const decision = (allowed: boolean, waitMs: number, remaining: number): LimitDecision => ({
      policy,
      allowed,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      remaining: Math.max(0, Math.floor(remaining)),
      resetSeconds: Math.ceil(reset / 1000),
      degraded: true,
    });
    if (cost < 0) {
      if (windows.current > 0) windows.current -= 1;
      else if (windows.previous > 0) windows.previous -= 1;
      this.#store(key, windows);
      return decision(true, 0, limit - estimate + 1);
    }
    if (estimate + Math.max(cost, 1) > limit) return decision(false, reset, 0);
    if (cost > 0) {
      windows.current += cost;
      this.#store(key, windows);
    }
    return decision(true, 0, limit - estimate - cost);
  }

  #advance(windows: Windows | undefined, index: number): Windows {
    if (windows === undefined || windows.index < index - 1) return { index, current: 0, previous: 0 };
    if (windows.index === index - 1) return { index, current: 0, previous: windows.current };
    return { ...windows };
  }

  #store(key: string, windows: Windows): void {
    this.#subjects.delete(key);
    if (this.#subjects.size >= this.maxSubjects) {
      const oldest = this.#subjects.keys().next();
      if (!oldest.done) this.#subjects.delete(oldest.value);
    }
    this.#subjects.set(key, windows);
  }
}
