import type { TtlCache } from './ttl-cache.js';

/**
 * Cache-aside with request coalescing: concurrent misses for one key share a single load, so a cold
 * cache under load does not stampede the database. A load that was invalidated while in flight is
 * handed to its waiters but never cached: it may predate the write that invalidated it. A load that
 * fails because the source is unreachable may fall back to the expired value (stale-if-error),
 * never to an invalidated one.
 */
export class LoadThrough<K, V> {
  readonly #inflight = new Map<K, Promise<V>>();

  constructor(
    private readonly cache: TtlCache<K, V>,
    private readonly load: (key: K) => Promise<V>,
    /**
     * Errors for which a recently expired value is served instead (the cache's stale window):
     * the source being unreachable, not the value being wrong. @default never
     */
    private readonly serveStaleOn: (error: unknown) => boolean = () => false,
  ) {}

  async get(key: K): Promise<V> {
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const pending = this.#inflight.get(key);
    if (pending !== undefined) return pending;
    const promise: Promise<V> = this.load(key).then(
      (value) => {
        if (this.#inflight.get(key) === promise) {
          this.#inflight.delete(key);
          this.cache.set(key, value);
        }
        return value;
      },
      (error: unknown) => {
        if (this.#inflight.get(key) === promise) this.#inflight.delete(key);
        const stale = this.serveStaleOn(error) ? this.cache.getStale(key) : undefined;
        if (stale !== undefined) return stale;
        throw error;
      },
    );
    this.#inflight.set(key, promise);
    return promise;
  }

  invalidate(key: K): void {
    this.cache.delete(key);
    this.#inflight.delete(key);
  }

  invalidateWhere(predicate: (key: K) => boolean): void {
    this.cache.deleteWhere(predicate);
    for (const key of this.#inflight.keys()) if (predicate(key)) this.#inflight.delete(key);
  }
}
