import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs `work` and resolves no sooner than `floorMs` after it started. Used where the answer must
 * not reveal which path ran (a registered address or not): the slow path sets the floor, the fast
 * one waits for it. Real time on purpose: this is about what an observer measures, not about
 * protocol time, so the injected clock does not apply.
 */
export async function withResponseFloor<T>(floorMs: number, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    const left = floorMs - (performance.now() - started);
    if (left > 0) await sleep(left);
  }
}
