import { chartDashboards } from '@lanyard/dashboards';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { ApiAutoscaler } from '../constructs/api-autoscaler.js';
import { ApiIngress } from '../constructs/api-ingress.js';
import { DashboardConfigMap } from '../constructs/dashboard-config-map.js';
import { DisruptionBudget } from '../constructs/disruption-budget.js';
import { LanyardWorkload } from '../constructs/lanyard-workload.js';
import { MigrationJob } from '../constructs/migration-job.js';
import { PrometheusRule } from '../constructs/prometheus-rule.js';
import { ServiceMonitor } from '../constructs/service-monitor.js';
import { HelmChart } from '../helm/helm-chart.js';
import { workloadHelpers } from '../helm/helpers.js';
import { apiValues } from '../values/api-values.js';
import { API_METRICS_PORT, API_PORT, APP_VERSION, CHART_VERSION, configDefault, inClusterApiUrl, serviceLabels } from './chart-meta.js';

const NAME = 'lanyard-api';

const notes = `Lanyard API {{ .Chart.AppVersion }} is installed as {{ include "${NAME}.fullname" . }} in namespace {{ .Release.Namespace }}.
{{- if .Values.ingress.enabled }}

Public URL: http{{ if .Values.ingress.tls.enabled }}s{{ end }}://{{ .Values.ingress.host }} (API docs at /docs)
{{- else }}

Try it:  kubectl -n {{ .Release.Namespace }} port-forward svc/{{ include "${NAME}.fullname" . }} ${API_PORT}:${API_PORT}
         then open http://localhost:${API_PORT}/docs
{{- end }}

Secrets are read from the Secret "{{ .Values.secrets.existingSecret }}" (keys: {{ values .Values.secrets.files | sortAlpha | join ", " }}).
`;

/** The API: Deployment, Service, migrations hook, autoscaling, disruption budget, ingress, monitoring. */
export function apiChart(scope: Construct): HelmChart {
  const chart = new HelmChart(scope, {
    name: NAME,
    description: 'Lanyard identity service: multi-tenant OAuth 2.1 / OpenID Connect, hosted pages and the admin API.',
    version: CHART_VERSION,
    appVersion: APP_VERSION,
    values: apiValues,
    notes,
    keywords: ['lanyard', 'oauth2', 'openid-connect', 'identity'],
    helpers: workloadHelpers(
      NAME,
      [
        configDefault('PUBLIC_URL', inClusterApiUrl(`(include "${NAME}.fullname" .)`)),
        // Behind the chart's Ingress the client address is one proxy hop away; without it, trust none.
        configDefault('TRUST_PROXY_HOPS', '(ternary (toString .Values.ingress.trustedProxyHops) "0" .Values.ingress.enabled)'),
        // Endpoints drop a terminating pod a few seconds after SIGTERM: keep serving until then.
        configDefault('SHUTDOWN_DRAIN_SECONDS', '"5"'),
      ].join('\n'),
    ),
  });
  const api = new LanyardWorkload(chart, 'Api', {
    component: 'api',
    args: ['dist/api.js'],
    port: API_PORT,
    metricsPort: API_METRICS_PORT,
    env: {
      HOST: kplus.EnvValue.fromValue('0.0.0.0'),
      PORT: kplus.EnvValue.fromValue(String(API_PORT)),
      METRICS_PORT: kplus.EnvValue.fromValue(String(API_METRICS_PORT)),
    },
    autoscalingCondition: '.Values.autoscaling.enabled',
  });
  new MigrationJob(chart, 'Migrations');
  new ApiAutoscaler(chart, 'Autoscaler', { deploymentName: api.deployment.name });
  new DisruptionBudget(chart, 'DisruptionBudget', { selector: chart.selectorLabels('api') });
  new ApiIngress(chart, 'Ingress', { serviceName: api.service.name, servicePort: API_PORT });
  new ServiceMonitor(chart, 'ServiceMonitor', { serviceSelector: serviceLabels(NAME), port: 'metrics' });
  new PrometheusRule(chart, 'PrometheusRule', { group: NAME });
  new DashboardConfigMap(chart, 'Dashboard', { dashboards: chartDashboards.api });
  return chart;
}
