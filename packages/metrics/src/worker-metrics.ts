import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The worker's metrics (docs/reference/metrics.md); `queueCounts` is polled on each scrape. */
export function createWorkerMetrics(
  registry: Registry,
  queueCounts: () => Promise<ReadonlyArray<{ queue: string; state: string; count: number }>>,
) {
  const jobs = new Counter({
    name: 'identity_jobs_total',
    help: 'Jobs processed by queue, name and result.',
    labelNames: ['queue', 'name', 'result'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'identity_job_duration_seconds',
    help: 'Job processing time.',
    labelNames: ['queue', 'name'] as const,
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [registry],
  });
  new Gauge({
    name: 'identity_queue_jobs',
    help: 'Jobs in each queue by state.',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const counts = await queueCounts();
      // Reset first: a queue that could not be counted must vanish, not report stale numbers.
      this.reset();
      for (const { queue, state, count } of counts) this.set({ queue, state }, count);
    },
  });
  return { jobs, jobDuration };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;
