import { describe, expect, it, vi } from 'vitest';
import { WorkQueue, type HandlerResult } from '../../src/queue/work-queue.js';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingQueue(handle: (key: string, attempt: number) => Promise<HandlerResult>, workers = 4) {
  const failures: Array<{ key: string; retryInMs: number; failures: number }> = [];
  const queue = new WorkQueue({
    workers,
    backoff: { baseMs: 20, maxMs: 200 },
    handler: handle,
    onFailure: async (key, _error, retryInMs, n) => {
      failures.push({ key, retryInMs, failures: n });
    },
    random: () => 0,
  });
  return { queue, failures };
}

describe('WorkQueue', () => {
  it('never runs one key twice at once, and re-runs it once if it changed meanwhile', async () => {
    let running = 0;
    let maxConcurrent = 0;
    let runs = 0;
    const { queue } = recordingQueue(async () => {
      running++;
      runs++;
      maxConcurrent = Math.max(maxConcurrent, running);
      await tick(20);
      running--;
      return {};
    });
    queue.start();
    queue.add('acme');
    await tick();
    for (let i = 0; i < 10; i++) queue.add('acme');
    await queue.idle();
    expect(maxConcurrent).toBe(1);
    expect(runs).toBe(2);
  });

  it('runs different keys in parallel, up to the worker count', async () => {
    let running = 0;
    let maxConcurrent = 0;
    const { queue } = recordingQueue(async () => {
      running++;
      maxConcurrent = Math.max(maxConcurrent, running);
      await tick(20);
      running--;
      return {};
    }, 3);
    queue.start();
    for (const key of ['a', 'b', 'c', 'd', 'e']) queue.add(key);
    await queue.idle();
    expect(maxConcurrent).toBe(3);
  });

  it('deduplicates a key that is queued but not yet running', async () => {
    const seen: string[] = [];
    const { queue } = recordingQueue(async (key) => {
      seen.push(key);
      return {};
    });
    queue.add('x');
    queue.add('x');
    queue.add('y');
    queue.start();
    await queue.idle();
    expect(seen).toEqual(['x', 'y']);
  });

  it('retries a failing key with growing delays and resets after a success', async () => {
    let calls = 0;
    const { queue, failures } = recordingQueue(async (_key, attempt) => {
      calls++;
      if (attempt <= 3) throw new Error('down');
      return {};
    });
    queue.start();
    queue.add('k');
    while (calls < 4) await tick(10);
    await queue.idle();
    expect(failures.map((f) => f.failures)).toEqual([1, 2, 3]);
    expect(failures.map((f) => f.retryInMs)).toEqual([10, 20, 40]);
    expect(queue.failures('k')).toBe(0);
    await queue.stop();
  });

  it('backs off a key whose handler asks to retry (not converged) without counting it as a failure report', async () => {
    let calls = 0;
    const { queue, failures } = recordingQueue(async () => {
      calls++;
      return calls < 3 ? { retry: true } : {};
    });
    queue.start();
    queue.add('k');
    while (calls < 3) await tick(10);
    expect(failures).toEqual([]);
    expect(queue.failures('k')).toBe(0);
    await queue.stop();
  });

  it('wakes a key up after requeueAfterMs, keeping the earliest wake-up', async () => {
    const at: number[] = [];
    const started = Date.now();
    const { queue } = recordingQueue(async () => {
      at.push(Date.now() - started);
      return at.length === 1 ? { requeueAfterMs: 60 } : {};
    });
    queue.start();
    queue.add('k');
    queue.addAfter('k', 10_000);
    while (at.length < 2) await tick(10);
    expect(at[1]).toBeGreaterThanOrEqual(55);
    expect(at[1]).toBeLessThan(1_000);
    await queue.stop();
  });

  it('reports a failure while still holding the key', async () => {
    let reporting = false;
    let overlapped = false;
    let calls = 0;
    const queue = new WorkQueue({
      workers: 2,
      backoff: { baseMs: 1, maxMs: 1 },
      handler: async () => {
        calls++;
        if (reporting) overlapped = true;
        if (calls === 1) throw new Error('boom');
        return {};
      },
      onFailure: async () => {
        reporting = true;
        await tick(30);
        reporting = false;
      },
    });
    queue.start();
    queue.add('k');
    await tick(5);
    queue.add('k');
    while (calls < 2) await tick(5);
    await queue.idle();
    expect(overlapped).toBe(false);
    await queue.stop();
  });

  it('stops: nothing runs after stop, and stop waits for the running handler', async () => {
    let finished = false;
    let calls = 0;
    const { queue } = recordingQueue(async () => {
      calls++;
      await tick(30);
      finished = true;
      return { requeueAfterMs: 5 };
    });
    queue.start();
    queue.add('k');
    await tick(5);
    await queue.stop();
    expect(finished).toBe(true);
    await tick(40);
    expect(calls).toBe(1);
  });

  it('never wakes a key before its announced time, even when the timer fires early', async () => {
    vi.useFakeTimers({ now: 1_000_000 });
    try {
      const seen: Array<{ retryInMs: number; retryAt: number; startedAt?: number }> = [];
      let calls = 0;
      const queue = new WorkQueue({
        workers: 1,
        backoff: { baseMs: 100, maxMs: 1000 },
        random: () => 0,
        handler: async () => {
          calls++;
          const last = seen.at(-1);
          if (last !== undefined) last.startedAt = Date.now();
          if (calls === 1) throw new Error('down');
          return {};
        },
        onFailure: async (_key, _error, retryInMs, _n, retryAt) => {
          seen.push({ retryInMs, retryAt: retryAt.getTime() });
        },
      });
      queue.start();
      queue.add('k');
      await vi.advanceTimersByTimeAsync(0);
      expect(calls).toBe(1);
      const [failure] = seen;
      expect(failure!.retryAt).toBe(1_000_000 + failure!.retryInMs);
      // The event loop's timer clock runs ahead of the wall clock (a long tick): the timer fires
      // when the wall clock says 40 ms remain. The retry waits for them.
      vi.setSystemTime(Date.now() - 40);
      await vi.advanceTimersByTimeAsync(failure!.retryInMs);
      expect(calls).toBe(1);
      await vi.advanceTimersByTimeAsync(40);
      expect(calls).toBe(2);
      expect(failure!.startedAt).toBeGreaterThanOrEqual(failure!.retryAt);
      await queue.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
