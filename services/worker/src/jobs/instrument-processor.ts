import { UnrecoverableError, type Job, type Processor } from 'bullmq';
import type { QueueName } from '@lanyard/contracts';
import type { Logger } from '@lanyard/logger';
import type { WorkerMetrics } from '@lanyard/metrics';
import type { JobHandler } from './job-handler.js';

/**
 * Outcome label of `identity_jobs_total`, per attempt: `success`; `retry` (failed, BullMQ will try
 * again after backoff); `failure` (failed for good: unrecoverable or out of attempts). Alerts
 * watch `failure`, so a transient SMTP blip that recovers never pages anyone.
 */
export type JobResult = 'success' | 'retry' | 'failure';

/**
 * Wraps a handler as a BullMQ processor that logs one line per attempt (job id, queue, name,
 * attempt, duration — never the payload) and records `identity_jobs_total` and
 * `identity_job_duration_seconds`. Errors are rethrown untouched so BullMQ decides about retries.
 */
export function instrumentProcessor(queue: QueueName, handler: JobHandler, metrics: WorkerMetrics, log: Logger): Processor {
  return async (job: Job) => {
    // Producers choose job names; an unexpected one must not mint a new label value.
    const name = handler.jobNames.includes(job.name) ? job.name : 'unknown';
    const jobLog = log.child({ jobId: job.id, queue, jobName: name, ...handler.logContext?.(job) });
    // attemptsMade counts the attempts that already failed, so this one is attemptsMade + 1.
    const attempt = job.attemptsMade + 1;
    const maxAttempts = job.opts.attempts ?? 1;
    const stopTimer = metrics.jobDuration.startTimer({ queue, name });
    try {
      const result = await handler.process(job, jobLog);
      const seconds = stopTimer();
      metrics.jobs.inc({ queue, name, result: 'success' satisfies JobResult });
      jobLog.info({ attempt, durationMs: Math.round(seconds * 1000) }, 'job completed');
      return result;
    } catch (error) {
      const seconds = stopTimer();
      const final = error instanceof UnrecoverableError || attempt >= maxAttempts;
      const result: JobResult = final ? 'failure' : 'retry';
      metrics.jobs.inc({ queue, name, result });
      const fields = { attempt, maxAttempts, durationMs: Math.round(seconds * 1000), err: error };
      if (final) jobLog.error(fields, 'job failed');
      else jobLog.warn(fields, 'job failed; will retry');
      throw error;
    }
  };
}
