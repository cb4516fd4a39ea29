import { describe, expect, it } from 'vitest';
import { LoadThrough } from '../../src/infra/load-through.js';
import { TtlCache } from '../../src/infra/ttl-cache.js';

describe('TtlCache', () => {
  it('expires entries and evicts the oldest beyond its bound', () => {
    const cache = new TtlCache<string, number>(1_000, 2);
    cache.set('a', 1, 0);
    cache.set('b', 2, 0);
    cache.set('c', 3, 0);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)).toBe(2);
    expect(cache.get('c', 1_000)).toBeUndefined();
    expect(cache.size).toBe(1);
  });
});

describe('LoadThrough', () => {
  it('coalesces concurrent misses into one load', async () => {
    let loads = 0;
    const lt = new LoadThrough(new TtlCache<string, number>(10_000, 10), async () => {
      loads += 1;
      await new Promise((r) => setTimeout(r, 10));
      return 42;
    });
    expect(await Promise.all([lt.get('k'), lt.get('k'), lt.get('k')])).toEqual([42, 42, 42]);
    expect(loads).toBe(1);
    lt.invalidate('k');
    await lt.get('k');
    expect(loads).toBe(2);
  });

  it('does not cache failures', async () => {
    let attempt = 0;
    const lt = new LoadThrough(new TtlCache<string, number>(10_000, 10), async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('db down');
      return 1;
    });
    await expect(lt.get('k')).rejects.toThrow('db down');
    expect(await lt.get('k')).toBe(1);
  });
});
