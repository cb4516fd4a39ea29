import { dashboard } from './dashboard.js';
import { logs, timeseries } from './panels.js';
import { histogramQuantile, sumGauge, sumRate } from './promql.js';

/** The worker: job throughput and failures, job latency, queue depth by state. */
export const workerOverview = dashboard({
  uid: 'lanyard-worker',
  title: 'Lanyard / Worker',
  description: 'BullMQ jobs processed by the Lanyard worker (email, cleanup, key rotation) and the depth of every queue.',
  sections: [
    {
      title: 'Jobs',
      panels: [
        timeseries('Jobs by result', 'Jobs finished per second by queue, job name and result.', 'ops', [
          { expr: sumRate('identity_jobs_total', ['queue', 'name', 'result']), legend: '{{queue}}/{{name}} {{result}}' },
        ]),
        timeseries('Failed jobs', 'Jobs that did not succeed, per second (each retry counts).', 'ops', [
          { expr: sumRate('identity_jobs_total', ['queue', 'name'], ['result!="success"']), legend: '{{queue}}/{{name}}' },
        ]),
        timeseries('Job duration (p50 / p99)', 'Processing time per job name.', 's', [
          { expr: histogramQuantile(0.5, 'identity_job_duration_seconds', ['queue', 'name']), legend: 'p50 {{queue}}/{{name}}' },
          { expr: histogramQuantile(0.99, 'identity_job_duration_seconds', ['queue', 'name']), legend: 'p99 {{queue}}/{{name}}' },
        ]),
      ],
    },
    {
      title: 'Queues',
      panels: [
        timeseries('Jobs in queue by state', 'Waiting, active, delayed and failed jobs per queue.', 'short', [
          { expr: sumGauge('identity_queue_jobs', ['queue', 'state'], ['state!="completed"']), legend: '{{queue}} {{state}}' },
        ]),
        timeseries('Backlog', 'Jobs waiting to be picked up; a growing line means the worker cannot keep up.', 'short', [
          { expr: sumGauge('identity_queue_jobs', ['queue'], ['state="waiting"']), legend: '{{queue}}' },
        ]),
      ],
    },
    {
      title: 'Logs',
      panels: [logs('Worker errors', 'Error and fatal log lines of the worker (Loki).', '{service="worker", level=~"error|fatal"}')],
    },
  ],
});
