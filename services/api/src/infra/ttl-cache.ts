import { epochMs, type Clock } from '@lanyard/clock';

/**
 * A small bounded cache with per-entry expiry. Bounded because large in-memory maps slow every route
 * through GC (docs/reference/performance-budget.md); evicts the oldest insertion first (Map keeps
 * insertion order).
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly clock: Clock,
  ) {}

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= epochMs(this.clock)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, { value, expiresAt: epochMs(this.clock) + this.ttlMs });
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  /** Drops every entry whose key matches, e.g. all clients of one tenant. */
  deleteWhere(predicate: (key: K) => boolean): void {
    for (const key of this.#entries.keys()) if (predicate(key)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }
}
