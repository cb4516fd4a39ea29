import type pg from 'pg';

/** What node-postgres says when the server gave no answer in time: to a new connection (pg-pool), to a query (`query_timeout`). */
const SERVER_SILENT = ['Connection terminated due to connection timeout', 'Query read timeout'];

/** pg-pool's words for a checkout that found no free client in time. */
const POOL_WAIT_TIMEOUT = 'timeout exceeded when trying to connect';

/** The refusal while the circuit is open; `isDatabaseUnavailable` recognises it, so callers answer 503. */
export const CIRCUIT_OPEN_MESSAGE = 'PostgreSQL did not answer in time; refusing until a probe gets through';

export interface ConnectCircuitOptions {
  /** One round trip on a connection of its own (connect, `select 1`), each bounded by the pool's timeouts. */
  readonly probe: () => Promise<void>;
  /** While open, the probe runs this often. */
  readonly probeIntervalMs: number;
  /** Told when the circuit opens and when it closes again. */
  readonly onChange?: (open: boolean, cause?: Error) => void;
}

type ConnectCallback = (error: Error | undefined, client: pg.PoolClient | undefined, release: () => void) => void;

/**
 * A circuit breaker on the pool. A refused connection fails at once by itself, but a server that
 * drops packets (a dead host, a partition) would make every request wait the whole connection
 * timeout, and the pool's connections to it would hang until the query timeout. So the circuit
 * opens when the server is seen not answering:
 * - a new connection or a query got no answer in time;
 * - or a checkout waited the whole connection timeout for a busy pool while not one unit of work
 *   finished in that time. A pool that is merely busy keeps finishing work (that is load, and
 *   refusing would not make the queries in flight finish sooner); a pool whose every connection
 *   hangs finishes none.
 * While open, every checkout fails at once, idle connections included, and a probe of its own
 * (never a user's request) tries the server every `probeIntervalMs`; its first success closes it.
 */
export class ConnectCircuit {
  readonly #options: ConnectCircuitOptions;
  #open = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  /** When a unit of work last finished (a client released without error, or a new connection made). */
  #lastProgress = performance.now();

  constructor(options: ConnectCircuitOptions) {
    this.#options = options;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Guards `pool.connect` (which `pool.query` goes through too) and watches `pool.query` for read timeouts. */
  install(pool: pg.Pool): void {
    const checkout = pool.connect.bind(pool) as (callback: ConnectCallback) => void;
    const connect = (callback?: ConnectCallback): Promise<pg.PoolClient> | undefined => {
      if (callback !== undefined) {
        this.#checkout(checkout, callback);
        return undefined;
      }
      return new Promise((resolve, reject) => this.#checkout(checkout, (error, client) => (error === undefined ? resolve(client!) : reject(error))));
    };
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown;
    const watchedQuery = (...args: unknown[]): unknown => {
      const result = query(...args);
      if (result instanceof Promise) result.catch((error: unknown) => this.observe(error));
      return result;
    };
    Object.assign(pool, { connect, query: watchedQuery });
    pool.on('release', (error: Error | undefined) => {
      if (error === undefined || error === null) this.#lastProgress = performance.now();
    });
    // A new connection is the server answering; handing out an idle client is not (it proves
    // nothing, and counting it let a checkout that timed out a hair early look like progress).
    pool.on('connect', () => {
      this.#lastProgress = performance.now();
    });
  }

  /** A failure seen elsewhere (a query in a transaction): a read timeout opens the circuit too. */
  observe(error: unknown): void {
    if (isServerSilent(error)) this.#trip(error as Error);
  }

  /** Stops probing (the pool is closing). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #checkout(checkout: (callback: ConnectCallback) => void, callback: ConnectCallback): void {
    if (this.#open) {
      process.nextTick(() => callback(new Error(CIRCUIT_OPEN_MESSAGE), undefined, () => undefined));
      return;
    }
    const startedAt = performance.now();
    checkout((error, client, release) => {
      if (error !== undefined && error !== null) {
        // The pool gave up after its whole connection timeout. Stalled means no work finished since this
        // checkout began; comparing clock readings against the timeout instead flaked, because pg-pool's
        // timer counts from the event loop's cached time and can fire a millisecond early.
        const stalled = error.message.startsWith(POOL_WAIT_TIMEOUT) && this.#lastProgress < startedAt;
        if (stalled) this.#trip(error);
        else this.observe(error);
      }
      callback(error ?? undefined, client, release);
    });
  }

  #trip(cause: Error): void {
    if (this.#open || this.#closed) return;
    this.#open = true;
    this.#options.onChange?.(true, cause);
    this.#scheduleProbe();
  }

  #scheduleProbe(): void {
    this.#timer = setTimeout(() => {
      this.#options.probe().then(
        () => {
          this.#open = false;
          this.#timer = undefined;
          this.#options.onChange?.(false);
        },
        () => {
          if (!this.#closed) this.#scheduleProbe();
        },
      );
    }, this.#options.probeIntervalMs);
    this.#timer.unref();
  }
}

function isServerSilent(error: unknown): boolean {
  return error instanceof Error && SERVER_SILENT.some((message) => error.message.startsWith(message));
}
