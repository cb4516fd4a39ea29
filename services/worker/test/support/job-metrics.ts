import type { WorkerMetrics } from '@lanyard/metrics';

/** Current value of `identity_jobs_total` for one label set (0 when never incremented). */
export async function jobsTotal(metrics: WorkerMetrics, labels: { queue: string; name: string; result: string }): Promise<number> {
  const { values } = await metrics.jobs.get();
  const match = values.find((v) => v.labels.queue === labels.queue && v.labels.name === labels.name && v.labels.result === labels.result);
  return match?.value ?? 0;
}
