import type { Queue } from 'bullmq';
import type { Logger } from '@lanyard/logger';

/** States exported as `identity_queue_jobs{queue, state}`. */
export const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused', 'completed', 'failed'] as const;

const COUNT_TIMEOUT_MS = 1_000;

/**
 * Job counts per queue and state, read on each scrape. A queue whose counts cannot be read in time
 * is left out (and logged) so the rest of `/metrics` still answers while Redis is down.
 */
export async function queueCounts(
  queues: readonly Queue[],
  log: Logger,
): Promise<Array<{ queue: string; state: string; count: number }>> {
  const perQueue = await Promise.all(
    queues.map(async (queue) => {
      try {
        const counts = await withTimeout(queue.getJobCounts(...QUEUE_STATES), COUNT_TIMEOUT_MS);
        return QUEUE_STATES.map((state) => ({ queue: queue.name, state, count: counts[state] ?? 0 }));
      } catch (error) {
        log.warn({ queue: queue.name, err: error }, 'queue counts unavailable');
        return [];
      }
    }),
  );
  return perQueue.flat();
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
