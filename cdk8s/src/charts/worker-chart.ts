import { chartDashboards } from '@lanyard/dashboards';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { DashboardConfigMap } from '../constructs/dashboard-config-map.js';
import { LanyardWorkload } from '../constructs/lanyard-workload.js';
import { PrometheusRule } from '../constructs/prometheus-rule.js';
import { ServiceMonitor } from '../constructs/service-monitor.js';
import { HelmChart } from '../helm/helm-chart.js';
import { workloadHelpers } from '../helm/helpers.js';
import { workerValues } from '../values/worker-values.js';
import { APP_VERSION, CHART_VERSION, configDefault, inClusterApiUrl, serviceLabels } from './chart-meta.js';

const NAME = 'lanyard-worker';
const PORT = 5555;

const notes = `Lanyard worker {{ .Chart.AppVersion }} is installed as {{ include "${NAME}.fullname" . }} in namespace {{ .Release.Namespace }}.

Queue dashboard:  kubectl -n {{ .Release.Namespace }} port-forward svc/{{ include "${NAME}.fullname" . }} ${PORT}:${PORT}
                  then open http://localhost:${PORT}/
{{- if not (hasKey .Values.secrets.files "WORKER_DASHBOARD_PASSWORD") }}
{{- if eq (toString (.Values.config.NODE_ENV | default "production")) "production" }}
                  (off: in production the dashboard needs a password; map WORKER_DASHBOARD_PASSWORD in secrets.files)
{{- else }}
                  (read-only: map WORKER_DASHBOARD_PASSWORD in secrets.files to turn on Basic auth and job actions)
{{- end }}
{{- end }}
`;

/** The worker (BullMQ processors) with its queue dashboard Service on :5555. */
export function workerChart(scope: Construct): HelmChart {
  const chart = new HelmChart(scope, {
    name: NAME,
    description: 'Lanyard worker: e-mail, cleanup and signing-key rotation jobs, with the queue dashboard on :5555.',
    version: CHART_VERSION,
    appVersion: APP_VERSION,
    values: workerValues,
    notes,
    keywords: ['lanyard', 'bullmq', 'identity'],
    // E-mail links point at the API; its in-cluster URL until you set config.PUBLIC_URL.
    helpers: workloadHelpers(NAME, configDefault('PUBLIC_URL', inClusterApiUrl('"lanyard-api"'))),
  });
  new LanyardWorkload(chart, 'Worker', {
    component: 'worker',
    args: ['dist/worker.js'],
    port: PORT,
    env: { WORKER_HOST: kplus.EnvValue.fromValue('0.0.0.0'), WORKER_PORT: kplus.EnvValue.fromValue(String(PORT)) },
  });
  new ServiceMonitor(chart, 'ServiceMonitor', { serviceSelector: serviceLabels(NAME) });
  new PrometheusRule(chart, 'PrometheusRule', { group: NAME });
  new DashboardConfigMap(chart, 'Dashboard', { dashboards: chartDashboards.worker });
  return chart;
}
