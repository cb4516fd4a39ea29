/**
 * Caps concurrent executions of an expensive task (password hashing). Waiters queue in FIFO order.
 * Argon2 runs on libuv's thread pool, which it shares with other async crypto and DNS; without a cap a
 * burst of logins would starve everything else (docs/reference/performance-budget.md).
 */
export class Semaphore {
  #available: number;
  readonly #waiters: Array<() => void> = [];

  constructor(permits: number) {
    this.#available = permits;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#available > 0) this.#available -= 1;
    else await new Promise<void>((resolve) => this.#waiters.push(resolve));
    try {
      return await task();
    } finally {
      const next = this.#waiters.shift();
      if (next !== undefined) next();
      else this.#available += 1;
    }
  }

  get queued(): number {
    return this.#waiters.length;
  }
}
