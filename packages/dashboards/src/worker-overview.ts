import { dashboard } from './dashboard.js';
import { exploreLogsLink } from './log-links.js';
import { logs, timeseries, withLinks } from './panels.js';
import { histogramQuantile, sumGauge, sumRate } from './promql.js';

const queueLogs = exploreLogsLink('Logs of the worker for this queue and time range', '{service="worker"} | json | queue="${__field.labels.queue}"');

/** The worker: job throughput and failures, job latency, queue depth by state. */
export const workerOverview = dashboard({
  uid: 'lanyard-worker',
  title: 'Lanyard / Worker',
  description: 'BullMQ jobs processed by the Lanyard worker (email, cleanup, key rotation) and the depth of every queue.',
  sections: [
    {
      title: 'Jobs',
      panels: [
        withLinks(
          timeseries('Jobs by result', 'Jobs finished per second by queue, job name and result.', 'ops', [
            { expr: sumRate('identity_jobs_total', ['queue', 'name', 'result']), legend: '{{queue}}/{{name}} {{result}}' },
          ]),
          [queueLogs],
        ),
        withLinks(
          timeseries('Failed jobs', 'Jobs that did not succeed, per second (each retry counts).', 'ops', [
            { expr: sumRate('identity_jobs_total', ['queue', 'name'], ['result!="success"']), legend: '{{queue}}/{{name}}' },
          ]),
          [queueLogs],
        ),
        withLinks(
          timeseries('Job duration (p50 / p99)', 'Processing time per job name.', 's', [
            { expr: histogramQuantile(0.5, 'identity_job_duration_seconds', ['queue', 'name']), legend: 'p50 {{queue}}/{{name}}' },
            { expr: histogramQuantile(0.99, 'identity_job_duration_seconds', ['queue', 'name']), legend: 'p99 {{queue}}/{{name}}' },
          ]),
          [queueLogs],
        ),
      ],
    },
    {
      title: 'Queues',
      panels: [
        withLinks(
          timeseries('Jobs in queue by state', 'Waiting, active, delayed and failed jobs per queue.', 'short', [
            { expr: sumGauge('identity_queue_jobs', ['queue', 'state'], ['state!="completed"']), legend: '{{queue}} {{state}}' },
          ]),
          [queueLogs],
        ),
        withLinks(
          timeseries('Backlog', 'Jobs waiting to be picked up; a growing line means the worker cannot keep up.', 'short', [
            { expr: sumGauge('identity_queue_jobs', ['queue'], ['state="waiting"']), legend: '{{queue}}' },
          ]),
          [queueLogs],
        ),
      ],
    },
    {
      title: 'Logs',
      panels: [logs('Worker errors', 'Error and fatal log lines of the worker (Loki).', '{service="worker", level=~"error|fatal"}')],
    },
  ],
});
