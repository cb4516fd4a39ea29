import type { Redis } from 'ioredis';
import { epochMs, type Clock } from '@lanyard/clock';
import type { Logger } from '@lanyard/logger';

/** Thrown instead of waiting when Redis is known to be unreachable or answers too slowly. */
export class RedisUnavailable extends Error {
  constructor(reason: string) {
    super(`redis unavailable: ${reason}`);
  }
}

/** The part of a guard its users need: run one Redis call under its deadline and circuit. */
export type RedisCall = Pick<RedisGuard, 'run'>;

export interface RedisGuardOptions {
  /** Longest a request waits for one Redis call before giving up on it. */
  readonly timeoutMs: number;
  /** How long after a failure calls fail at once, before one probe is let through. */
  readonly probeIntervalMs: number;
  /** Told when the state flips, e.g. to set a degraded gauge. */
  readonly onStateChange?: (open: boolean) => void;
  /** What goes without Redis while the circuit is open, for the log lines. @default 'rate limits fall back to per-process counters' */
  readonly whileOpen?: string;
  /** What comes back when it closes. @default 'shared rate limits resume' */
  readonly onceClosed?: string;
}

/**
 * A circuit breaker with a deadline around per-request Redis calls. ioredis queues commands while
 * it reconnects, so an unreachable Redis otherwise holds every request for seconds. Here a call
 * fails at once while the connection is not ready or the circuit is open, and never waits longer
 * than `timeoutMs`; after `probeIntervalMs` one call is let through to probe for recovery, and its
 * success closes the circuit.
 */
export class RedisGuard {
  #openUntil = 0;
  #open = false;
  #probing = false;

  constructor(
    private readonly redis: Pick<Redis, 'status'>,
    private readonly options: RedisGuardOptions,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  get open(): boolean {
    return this.#open;
  }

  async run<T>(call: () => Promise<T>): Promise<T> {
    const now = epochMs(this.clock);
    if (this.#open && (now < this.#openUntil || this.#probing)) throw new RedisUnavailable('circuit open');
    if (this.redis.status !== 'ready') {
      this.#trip(now, `connection ${this.redis.status}`);
      throw new RedisUnavailable(`connection ${this.redis.status}`);
    }
    const probe = this.#open;
    if (probe) this.#probing = true;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        call(),
        new Promise<never>((_, reject) => {
          // Rejected from the check phase, after the poll phase: when the event loop itself was
          // late, a reply already waiting on the socket wins instead of a false "unreachable".
          timer = setTimeout(() => setImmediate(() => reject(new RedisUnavailable(`no answer within ${this.options.timeoutMs} ms`))), this.options.timeoutMs);
        }),
      ]);
      if (this.#open) this.#close();
      return result;
    } catch (error) {
      this.#trip(epochMs(this.clock), error instanceof Error ? error.message : String(error));
      throw error instanceof RedisUnavailable ? error : new RedisUnavailable(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
      if (probe) this.#probing = false;
    }
  }

  #trip(now: number, reason: string): void {
    this.#openUntil = now + this.options.probeIntervalMs;
    if (this.#open) return;
    this.#open = true;
    this.log.warn({ reason }, `redis unreachable: ${this.options.whileOpen ?? 'rate limits fall back to per-process counters'}`);
    this.options.onStateChange?.(true);
  }

  #close(): void {
    this.#open = false;
    this.log.info({}, `redis reachable again: ${this.options.onceClosed ?? 'shared rate limits resume'}`);
    this.options.onStateChange?.(false);
  }
}
