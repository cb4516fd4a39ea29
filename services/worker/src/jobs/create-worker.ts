import { Worker, type KeepJobs } from 'bullmq';
import type { Redis } from 'ioredis';
import type { QueueName } from '@lanyard/contracts';
import type { Logger } from '@lanyard/logger';
import { initialiseJobSeries, type WorkerMetrics } from '@lanyard/metrics';
import type { JobHandler } from './job-handler.js';
import { instrumentProcessor } from './instrument-processor.js';

/** What {@link createWorker} needs besides the queue and its handler. */
export interface CreateWorkerOptions {
  /** A connection with `maxRetriesPerRequest: null`; BullMQ duplicates it for its blocking reads. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly concurrency: number;
  /**
   * How many finished jobs to keep when the producer did not say (BullMQ prefers the job's own
   * `removeOnComplete` / `removeOnFail`): a producer that forgets cannot make Redis grow forever.
   */
  readonly retention: { readonly removeOnComplete: KeepJobs; readonly removeOnFail: KeepJobs };
  readonly metrics: WorkerMetrics;
  readonly log: Logger;
}

/**
 * A BullMQ worker for one queue, created stopped (`run()` starts it) so schedulers are registered
 * first, with `identity_jobs_total` at 0 for each of the handler's job names. Its `error` listener
 * is always attached: without one, a Redis error would be an unhandled `error` event and crash the
 * process.
 */
export function createWorker(queue: QueueName, handler: JobHandler, options: CreateWorkerOptions): Worker {
  const { connection, prefix, concurrency, retention, metrics, log } = options;
  // Failure panels and alerts then read 0, not "No data", until something fails.
  initialiseJobSeries(metrics, queue, handler.jobNames);
  const worker = new Worker(queue, instrumentProcessor(queue, handler, metrics, log), {
    connection,
    prefix,
    concurrency,
    removeOnComplete: retention.removeOnComplete,
    removeOnFail: retention.removeOnFail,
    // A job whose worker died (SIGKILL, OOM, a lost node) goes back to the queue once its lock has
    // expired and a stalled check has run: BullMQ's 30 s + 30 s made a crashed worker's e-mails wait
    // a minute. Locks are renewed every 5 s by a timer, and no handler blocks the event loop that long.
    lockDuration: 10_000,
    stalledInterval: 5_000,
    autorun: false,
  });
  worker.on('error', (error) => log.error({ queue, err: error }, 'worker error'));
  // A stalled job's lock expired mid-run (event loop blocked, process killed); BullMQ requeues it once.
  worker.on('stalled', (jobId) => log.warn({ queue, jobId }, 'job stalled'));
  return worker;
}
