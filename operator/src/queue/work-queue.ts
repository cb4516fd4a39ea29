import { backoffDelay, type BackoffPolicy } from './backoff-delay.js';

/** setTimeout's ceiling (2^31-1 ms, about 24.8 days); longer delays would fire at once. */
const MAX_DELAY_MS = 2_147_483_647;

/** What a handler asks the queue to do next with the key. */
export interface HandlerResult {
  /** Process again after this many milliseconds (a scheduled rotation, a grace period ending). */
  readonly requeueAfterMs?: number;
  /** Not converged (e.g. a conflict only someone else can resolve): retry with backoff. */
  readonly retry?: boolean;
}

/** Handles one key; a throw means "failed", retried with per-item backoff. */
export type KeyHandler = (key: string, attempt: number) => Promise<HandlerResult>;

/** Options of {@link WorkQueue}. */
export interface WorkQueueOptions {
  readonly workers: number;
  readonly backoff: BackoffPolicy;
  readonly handler: KeyHandler;
  /**
   * Reports a failure (conditions, Event, log) while the key is still held, so the report never
   * races a reconcile of the same key. Its own failure goes to {@link onReportFailure}.
   */
  readonly onFailure?: (key: string, error: unknown, retryInMs: number, failures: number, retryAt: Date) => Promise<void>;
  readonly onReportFailure?: (key: string, error: unknown) => void;
  readonly random?: () => number;
}

/**
 * A per-key work queue in the manner of client-go's workqueue: a key is queued at most once, is
 * never processed by two workers at the same time (an add during processing marks it dirty and it
 * runs again afterwards), and failures back off per key. Keys are object names, so events for one
 * IdentityTenant never race each other while different tenants proceed in parallel.
 */
export class WorkQueue {
  readonly #options: WorkQueueOptions;
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  readonly #idleWaiters: Array<() => void> = [];
  #running = 0;
  #started = false;
  #stopped = false;

  constructor(options: WorkQueueOptions) {
    this.#options = options;
  }

  /** Starts the workers. Keys added before are processed now. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    this.#pump();
  }

  /** Queues `key` (level-triggered: what happened does not matter, only that something might have). */
  add(key: string): void {
    if (this.#stopped) return;
    if (this.#processing.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) return;
    this.#queued.add(key);
    this.#queue.push(key);
    this.#pump();
  }

  /** Queues `key` after `delayMs`; an earlier pending wake-up for the key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#stopped) return;
    if (delayMs <= 0) return this.add(key);
    // A rotation 90 days out is re-planned by the periodic resync long before the timer would fire.
    delayMs = Math.min(delayMs, MAX_DELAY_MS);
    const at = Date.now() + delayMs;
    const pending = this.#timers.get(key);
    if (pending !== undefined && pending.at <= at) return;
    if (pending !== undefined) clearTimeout(pending.timer);
    this.#arm(key, at, delayMs);
  }

  /**
   * Timers count from the event loop's cached clock, which lags the wall clock by as long as the
   * current tick has run (hundreds of milliseconds on a busy machine), so one can fire before `at`.
   * A wake-up that comes early sleeps the rest: a backoff is never shorter than it was announced.
   */
  #arm(key: string, at: number, delayMs: number): void {
    const timer = setTimeout(() => {
      const left = at - Date.now();
      if (left > 0) return this.#arm(key, at, left);
      this.#timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.#timers.set(key, { at, timer });
  }

  /** Consecutive failures of `key` so far. */
  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Resolves when nothing is queued or processing (scheduled wake-ups do not count). */
  idle(): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops taking work, cancels wake-ups and waits for running handlers to finish. */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#queue.length = 0;
    this.#queued.clear();
    this.#dirty.clear();
    await this.idle();
  }

  #isIdle(): boolean {
    return this.#running === 0 && (this.#queue.length === 0 || !this.#started || this.#stopped);
  }

  #pump(): void {
    while (this.#started && !this.#stopped && this.#running < this.#options.workers && this.#queue.length > 0) {
      const key = this.#queue.shift()!;
      this.#queued.delete(key);
      this.#processing.add(key);
      this.#running++;
      void this.#process(key);
    }
    if (this.#isIdle()) this.#idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  async #process(key: string): Promise<void> {
    const attempt = this.failures(key) + 1;
    try {
      const result = await this.#options.handler(key, attempt);
      if (result.retry === true) {
        this.#scheduleRetry(key);
      } else {
        this.#failures.delete(key);
        if (result.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
      }
    } catch (error) {
      // The queue boundary, the one place a reconcile failure is caught: schedule the retry, then report.
      const delay = this.#scheduleRetry(key);
      const retryAt = new Date(this.#timers.get(key)?.at ?? Date.now() + delay);
      await this.#options.onFailure?.(key, error, delay, this.failures(key), retryAt).catch((reportError: unknown) => this.#options.onReportFailure?.(key, reportError));
    } finally {
      this.#processing.delete(key);
      this.#running--;
      if (this.#dirty.delete(key)) this.add(key);
      this.#pump();
    }
  }

  #scheduleRetry(key: string): number {
    const failures = this.failures(key) + 1;
    this.#failures.set(key, failures);
    const delay = backoffDelay(failures, this.#options.backoff, this.#options.random);
    this.addAfter(key, delay);
    return delay;
  }
}
