import { describe, expect, it } from 'vitest';
import { testClock } from '@lanyard/testing';
import { LoadThrough } from '../../src/infra/load-through.js';
import { TtlCache } from '../../src/infra/ttl-cache.js';

describe('TtlCache', () => {
  it('expires entries on the injected clock and evicts the oldest beyond its bound', () => {
    const time = testClock({ frozenAt: new Date('2026-01-01T00:00:00Z') });
    const cache = new TtlCache<string, number>(1_000, 2, time.clock);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe(2);
    time.advance(999);
    expect(cache.get('c')).toBe(3);
    time.advance(1);
    expect(cache.get('c')).toBeUndefined();
    expect(cache.size).toBe(1);
  });

  it('deletes only the entries a predicate selects', () => {
    const cache = new TtlCache<string, number>(1_000, 10, testClock().clock);
    for (const key of ['t1/a', 't1/b', 't2/a']) cache.set(key, 1);
    cache.deleteWhere((key) => key.startsWith('t1/'));
    expect([cache.get('t1/a'), cache.get('t1/b'), cache.get('t2/a')]).toEqual([undefined, undefined, 1]);
  });
});

describe('LoadThrough', () => {
  const cache = () => new TtlCache<string, number>(10_000, 10, testClock().clock);

  it('coalesces concurrent misses into one load', async () => {
    let loads = 0;
    const lt = new LoadThrough(cache(), async () => {
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
    const lt = new LoadThrough(cache(), async () => {
      attempt += 1;
      if (attempt === 1) throw new Error('db down');
      return 1;
    });
    await expect(lt.get('k')).rejects.toThrow('db down');
    expect(await lt.get('k')).toBe(1);
  });

  it('never caches a load that was invalidated while in flight (it may predate the write)', async () => {
    let value = 1;
    let release: () => void = () => {};
    const lt = new LoadThrough(cache(), async () => {
      const seen = value;
      await new Promise<void>((resolve) => (release = resolve));
      return seen;
    });
    const stale = lt.get('k');
    value = 2; // the write …
    lt.invalidate('k'); // … and its invalidation, while the first load is still running
    release();
    expect(await stale).toBe(1);
    const fresh = lt.get('k');
    release();
    expect(await fresh).toBe(2);
  });
});

describe('stale-if-error', () => {
  const unreachable = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
  const isUnreachable = (error: unknown) => (error as { code?: string }).code === 'ECONNREFUSED';

  it('serves an expired value within the stale window when the source is unreachable, and never after it', async () => {
    const time = testClock({ frozenAt: new Date('2026-01-01T00:00:00Z') });
    let fail: Error | undefined;
    let loads = 0;
    const lt = new LoadThrough(
      new TtlCache<string, number>(1_000, 10, time.clock, 5_000),
      async () => {
        loads += 1;
        if (fail !== undefined) throw fail;
        return loads;
      },
      isUnreachable,
    );
    expect(await lt.get('k')).toBe(1);
    time.advance(1_000);
    fail = unreachable;
    // Expired, the source is down: the last value, and each get still tries the source first.
    expect(await lt.get('k')).toBe(1);
    expect(await lt.get('k')).toBe(1);
    expect(loads).toBe(3);
    // Any other failure is the caller's to see.
    fail = new Error('syntax error');
    await expect(lt.get('k')).rejects.toThrow('syntax error');
    // The stale window ends 5 s after expiry.
    time.advance(5_000);
    fail = unreachable;
    await expect(lt.get('k')).rejects.toThrow('ECONNREFUSED');
    fail = undefined;
    expect(await lt.get('k')).toBe(6);
  });

  it('never serves an invalidated value, whatever the source does', async () => {
    const time = testClock({ frozenAt: new Date('2026-01-01T00:00:00Z') });
    let fail = false;
    const lt = new LoadThrough(
      new TtlCache<string, string>(1_000, 10, time.clock, 60_000),
      async () => {
        if (fail) throw unreachable;
        return 'enabled';
      },
      isUnreachable,
    );
    expect(await lt.get('client')).toBe('enabled');
    lt.invalidate('client');
    fail = true;
    await expect(lt.get('client')).rejects.toThrow('ECONNREFUSED');
  });
});
