import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { EMAIL_JOB_OPTIONS, MAINTENANCE_JOB_OPTIONS, QUEUES, type SendEmailJob } from '@lanyard/contracts';
import type { Logger } from '@lanyard/logger';

/** The worker's handles on both queues: schedulers, the dashboard and metrics go through them. */
export interface WorkerQueues {
  readonly email: Queue<SendEmailJob>;
  readonly maintenance: Queue;
}

/**
 * Opens both queues over one shared command connection. An `error` listener is attached to each,
 * because an unhandled `error` event would crash the process on the first Redis hiccup.
 */
export function createQueues(connection: Redis, prefix: string, log: Logger): WorkerQueues {
  const email = new Queue<SendEmailJob>(QUEUES.email, { connection, prefix, defaultJobOptions: EMAIL_JOB_OPTIONS });
  const maintenance = new Queue(QUEUES.maintenance, { connection, prefix, defaultJobOptions: MAINTENANCE_JOB_OPTIONS });
  for (const queue of [email, maintenance] as Queue[]) {
    queue.on('error', (error) => log.warn({ queue: queue.name, err: error }, 'queue connection error'));
  }
  return { email, maintenance };
}
