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
    /**
     * How long past its expiry an entry is still kept for {@link getStale} (stale-if-error, as in
     * RFC 5861 §4): what a loader may fall back to while its source is unreachable. @default 0
     */
    private readonly staleMs = 0,
  ) {}

  /** The value while it is fresh. */
  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    const now = epochMs(this.clock);
    if (entry.expiresAt <= now) {
      if (entry.expiresAt + this.staleMs <= now) this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** The value even if it expired, up to `staleMs` ago; never one that was deleted (invalidated). */
  getStale(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || entry.expiresAt + this.staleMs <= epochMs(this.clock)) return undefined;
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
