import type { WorkerMetrics } from './worker-metrics.js';

/** The `result` values of `identity_jobs_total`. */
export const JOB_RESULTS = ['success', 'retry', 'failure'] as const;

/**
 * Creates `identity_jobs_total` at 0 for every result of every job name a queue handles, so the
 * failure panels and alerts read 0 (not "No data") until something fails.
 */
export function initialiseJobSeries(metrics: Pick<WorkerMetrics, 'jobs'>, queue: string, names: readonly string[]): void {
  for (const name of names) for (const result of JOB_RESULTS) metrics.jobs.inc({ queue, name, result }, 0);
}
