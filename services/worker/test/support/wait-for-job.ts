import type { Job, JobState, Queue } from 'bullmq';

/**
 * Polls until the job reaches one of `states` (BullMQ moves it between sorted sets in Redis; there
 * is nothing to await directly without a QueueEvents subscription racing the job).
 */
export async function waitForJob(queue: Queue, jobId: string, states: ReadonlyArray<JobState | 'unknown'>, timeoutMs = 15_000): Promise<Job> {
  const deadline = Date.now() + timeoutMs;
  let last = 'missing';
  while (Date.now() < deadline) {
    const state = await queue.getJobState(jobId);
    last = state;
    if (states.includes(state)) {
      // Read the job after its state matched, so fields written with that move (failedReason, returnvalue) are there.
      const job = await queue.getJob(jobId);
      if (job !== undefined) return job;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${jobId} on ${queue.name} did not reach ${states.join('|')} within ${timeoutMs} ms (last state: ${last})`);
}

/** Polls `check` until it returns true. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`${what} not met within ${timeoutMs} ms`);
}
