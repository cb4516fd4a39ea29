/** How a {@link StatementBatcher} groups work. */
export interface StatementBatcherOptions {
  /** Items per statement at most. */
  readonly maxBatch: number;
  /** Statements in flight at once; items submitted meanwhile wait for the next one. */
  readonly maxInFlight: number;
}

/** What a batch statement returns per item, in submission order; `undefined` is a valid answer. */
export type BatchRunner<I, O> = (items: readonly I[]) => Promise<readonly O[]>;

interface Waiting<I, O> {
  readonly item: I;
  readonly key: string | undefined;
  readonly resolve: (value: O) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * Coalesces concurrent calls of one hot statement into batches, so that under load a single round
 * trip and a single commit serve many requests: each request costs PostgreSQL one row of a statement
 * instead of a statement (parse, executor start-up, commit and WAL flush) and costs the API a row to
 * decode instead of a query's worth of protocol, streams and socket writes. The same holds for a
 * Redis script that decides many requests in one run (the rate limiter's).
 *
 * It adds no waiting of its own. Work submitted while the event loop handles one batch of I/O goes
 * out together, right after it (`setImmediate`); while `maxInFlight` statements are out, new work
 * queues and leaves as soon as one returns. A lone call, the quiet case, runs through `runOne`
 * unchanged. Two items with the same key never share a statement (the second waits for the next),
 * so a batch never races itself for one row; without `keyOf` (a statement that applies its items
 * in order, like a Redis script) items never conflict. If a batch statement fails, each of its items is
 * retried alone through `runOne` and fails or succeeds by itself: one hostile or unlucky item
 * cannot fail its neighbours.
 */
export class StatementBatcher<I, O> {
  #waiting: Waiting<I, O>[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(
    private readonly runBatch: BatchRunner<I, O>,
    private readonly runOne: (item: I) => Promise<O>,
    private readonly keyOf: ((item: I) => string) | undefined,
    private readonly options: StatementBatcherOptions,
  ) {
    if (!(options.maxBatch >= 1) || !(options.maxInFlight >= 1)) throw new RangeError('StatementBatcher: maxBatch and maxInFlight must be at least 1');
  }

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.#waiting.push({ item, key: this.keyOf?.(item), resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.options.maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#waiting.length > 0 && this.#inFlight < this.options.maxInFlight) {
      const batch = this.#take();
      this.#inFlight += 1;
      void this.#run(batch).finally(() => {
        this.#inFlight -= 1;
        // Work that queued behind a full set of statements has waited already: send it now.
        this.#flush();
      });
    }
  }

  /** The oldest waiting items, at most `maxBatch`, no key twice; the rest keep their order. */
  #take(): Waiting<I, O>[] {
    const batch: Waiting<I, O>[] = [];
    const keys = new Set<string>();
    const left: Waiting<I, O>[] = [];
    for (const waiting of this.#waiting) {
      if (batch.length < this.options.maxBatch && (waiting.key === undefined || !keys.has(waiting.key))) {
        batch.push(waiting);
        if (waiting.key !== undefined) keys.add(waiting.key);
      } else {
        left.push(waiting);
      }
    }
    this.#waiting = left;
    return batch;
  }

  async #run(batch: readonly Waiting<I, O>[]): Promise<void> {
    if (batch.length === 1) {
      await this.#runAlone(batch[0]!);
      return;
    }
    let results: readonly O[];
    try {
      results = await this.runBatch(batch.map((waiting) => waiting.item));
      if (results.length !== batch.length) throw new Error(`StatementBatcher: ${results.length} results for ${batch.length} items`);
    } catch {
      await Promise.all(batch.map((waiting) => this.#runAlone(waiting)));
      return;
    }
    batch.forEach((waiting, index) => waiting.resolve(results[index] as O));
  }

  async #runAlone(waiting: Waiting<I, O>): Promise<void> {
    try {
      waiting.resolve(await this.runOne(waiting.item));
    } catch (error) {
      waiting.reject(error);
    }
  }
}
