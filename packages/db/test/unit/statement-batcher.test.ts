import { describe, expect, it } from 'vitest';
import { StatementBatcher } from '../../src/statement-batcher.js';

/** A controllable statement: records every call, answers when the test says so. */
function recorder() {
  const batches: number[][] = [];
  const singles: number[] = [];
  const open: Array<() => void> = [];
  let failBatches = false;
  const runBatch = (items: readonly number[]) => {
    batches.push([...items]);
    return new Promise<number[]>((resolve, reject) => open.push(() => (failBatches ? reject(new Error('batch refused')) : resolve(items.map((n) => n * 10)))));
  };
  const runOne = async (item: number) => {
    singles.push(item);
    if (item < 0) throw new Error(`item ${item} refused`);
    return item * 10;
  };
  return {
    batches,
    singles,
    runBatch,
    runOne,
    failBatches: () => (failBatches = true),
    /** Answers every statement in flight. */
    release: () => open.splice(0).forEach((answer) => answer()),
  };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('StatementBatcher', () => {
  it('a lone call runs alone, through runOne', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.runBatch, r.runOne, String, { maxBatch: 8, maxInFlight: 2 });
    expect(await batcher.submit(4)).toBe(40);
    expect(r.singles).toEqual([4]);
    expect(r.batches).toEqual([]);
  });

  it('calls made in one turn of the event loop share one statement, and each gets its own answer', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.runBatch, r.runOne, String, { maxBatch: 8, maxInFlight: 2 });
    const answers = Promise.all([1, 2, 3].map((n) => batcher.submit(n)));
    await turn();
    expect(r.batches).toEqual([[1, 2, 3]]);
    r.release();
    expect(await answers).toEqual([10, 20, 30]);
  });

  it('never puts more than maxBatch items, or one key twice, in a statement; the rest go next, in order', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.runBatch, r.runOne, (n: number) => String(n % 100), { maxBatch: 3, maxInFlight: 1 });
    const answers = Promise.all([1, 101, 2, 3, 4, 5].map((n) => batcher.submit(n)));
    await turn();
    expect(r.batches).toEqual([[1, 2, 3]]);
    r.release();
    await turn();
    expect(r.batches).toEqual([[1, 2, 3], [101, 4, 5]]);
    r.release();
    expect(await answers).toEqual([10, 1010, 20, 30, 40, 50]);
  });

  it('without keyOf, equal items share a statement, in the order they came', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.runBatch, r.runOne, undefined, { maxBatch: 3, maxInFlight: 1 });
    const answers = Promise.all([5, 5, 6, 5].map((n) => batcher.submit(n)));
    await turn();
    expect(r.batches).toEqual([[5, 5, 6]]);
    r.release();
    await turn();
    expect(r.singles).toEqual([5]);
    expect(await answers).toEqual([50, 50, 60, 50]);
  });

  it('holds work back while maxInFlight statements are out, and sends it as one when one returns', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.runBatch, r.runOne, String, { maxBatch: 8, maxInFlight: 1 });
    const first = Promise.all([1, 2].map((n) => batcher.submit(n)));
    await turn();
    const second = Promise.all([3, 4, 5].map((n) => batcher.submit(n)));
    await turn();
    expect(r.batches).toEqual([[1, 2]]);
    r.release();
    expect(await first).toEqual([10, 20]);
    await turn();
    expect(r.batches).toEqual([[1, 2], [3, 4, 5]]);
    r.release();
    expect(await second).toEqual([30, 40, 50]);
  });

  it('a failed statement retries each item alone: one bad item fails by itself, its neighbours succeed', async () => {
    const r = recorder();
    const batcher = new StatementBatcher(r.runBatch, r.runOne, String, { maxBatch: 8, maxInFlight: 1 });
    r.failBatches();
    const answers = [7, -1, 8].map((n) => batcher.submit(n).then((v) => ({ ok: v }), (e: Error) => ({ error: e.message })));
    await turn();
    r.release();
    expect(await Promise.all(answers)).toEqual([{ ok: 70 }, { error: 'item -1 refused' }, { ok: 80 }]);
    expect(r.singles).toEqual([7, -1, 8]);
  });

  it('a statement that answers for the wrong number of items counts as failed', async () => {
    const singles: number[] = [];
    const batcher = new StatementBatcher(
      async () => [1],
      async (n: number) => {
        singles.push(n);
        return n;
      },
      String,
      { maxBatch: 8, maxInFlight: 1 },
    );
    expect(await Promise.all([5, 6].map((n) => batcher.submit(n)))).toEqual([5, 6]);
    expect(singles).toEqual([5, 6]);
  });

  it('refuses limits below one', () => {
    const r = recorder();
    expect(() => new StatementBatcher(r.runBatch, r.runOne, String, { maxBatch: 0, maxInFlight: 1 })).toThrow(RangeError);
    expect(() => new StatementBatcher(r.runBatch, r.runOne, String, { maxBatch: 1, maxInFlight: Number.NaN })).toThrow(RangeError);
  });
});
