import { chartDashboards } from '@lanyard/dashboards';
import { Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { describe, expect, it } from 'vitest';
import { ApiAutoscaler } from '../../src/constructs/api-autoscaler.js';
import { ApiIngress } from '../../src/constructs/api-ingress.js';
import { DashboardConfigMap } from '../../src/constructs/dashboard-config-map.js';
import { DisruptionBudget } from '../../src/constructs/disruption-budget.js';
import { LanyardWorkload } from '../../src/constructs/lanyard-workload.js';
import { MigrationJob } from '../../src/constructs/migration-job.js';
import { OperatorRbac } from '../../src/constructs/operator-rbac.js';
import { PrometheusRule } from '../../src/constructs/prometheus-rule.js';
import { ServiceMonitor } from '../../src/constructs/service-monitor.js';
import { HelmChart } from '../../src/helm/helm-chart.js';
import { apiValues } from '../../src/values/api-values.js';

/** A chart with the API's values, as the constructs expect to live in. */
const testChart = (): HelmChart =>
  new HelmChart(Testing.app(), { name: 'lanyard-api', description: 'test', version: '0.0.0', appVersion: '0.0.0', values: apiValues, notes: '' });

// Testing.synth shows what cdk8s itself produces: markers (⟦…⟧) where Helm will template, before
// the chart-level patches and rendering in helm-chart-files.ts (covered by the charts/ drift test).
describe('constructs (Testing.synth snapshots)', () => {
  it('LanyardWorkload: ServiceAccount, ConfigMap, locked-down Deployment and Service', () => {
    const chart = testChart();
    new LanyardWorkload(chart, 'Api', { component: 'api', args: ['dist/api.js'], port: 8000, env: { PORT: kplus.EnvValue.fromValue('8000') } });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('MigrationJob: a hook Job that needs nothing the release creates', () => {
    const chart = testChart();
    new MigrationJob(chart, 'Migrations');
    const [job] = Testing.synth(chart);
    expect(job.metadata.annotations['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(job.spec.template.spec.serviceAccountName).toBeUndefined();
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('ApiAutoscaler, DisruptionBudget and ApiIngress', () => {
    const chart = testChart();
    new ApiAutoscaler(chart, 'Autoscaler', { deploymentName: 'lanyard-api' });
    new DisruptionBudget(chart, 'DisruptionBudget', { selector: chart.selectorLabels('api') });
    new ApiIngress(chart, 'Ingress', { serviceName: 'lanyard-api', servicePort: 8000 });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('ServiceMonitor, PrometheusRule and DashboardConfigMap', () => {
    const chart = testChart();
    new ServiceMonitor(chart, 'ServiceMonitor', { serviceSelector: { 'app.kubernetes.io/name': 'lanyard-api' } });
    new PrometheusRule(chart, 'PrometheusRule', { group: 'lanyard-api' });
    new DashboardConfigMap(chart, 'Dashboard', { dashboards: chartDashboards.api });
    const [monitor, rule, configMap] = Testing.synth(chart);
    expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '⟦quote .Values.serviceMonitor.interval⟧' }]);
    expect(rule.spec.groups.map((g: { name: string }) => g.name)).toEqual(['lanyard-api']);
    expect(configMap.metadata.labels).toEqual({ grafana_dashboard: '1' });
    expect(Object.keys(configMap.data)).toEqual(['lanyard-api.json', 'lanyard-identity.json']);
  });

  it('LanyardWorkload with metricsPort: a second named port on the container and the Service, and a ServiceMonitor for it', () => {
    const chart = testChart();
    new LanyardWorkload(chart, 'Api', { component: 'api', args: ['dist/api.js'], port: 8000, metricsPort: 9464, env: {} });
    new ServiceMonitor(chart, 'ServiceMonitor', { serviceSelector: { 'app.kubernetes.io/name': 'lanyard-api' }, port: 'metrics' });
    const manifests = Testing.synth(chart);
    const deployment = manifests.find((m) => m.kind === 'Deployment');
    const service = manifests.find((m) => m.kind === 'Service');
    const monitor = manifests.find((m) => m.kind === 'ServiceMonitor');
    expect(deployment.spec.template.spec.containers[0].ports).toEqual([
      { containerPort: 8000, name: 'http' },
      { containerPort: 9464, name: 'metrics' },
    ]);
    // Probes stay on http: the metrics listener serves /metrics alone.
    expect(deployment.spec.template.spec.containers[0].readinessProbe.httpGet.port).toBe(8000);
    expect(service.spec.ports).toEqual([
      { name: 'http', port: 8000, targetPort: 8000 },
      { name: 'metrics', port: 9464, targetPort: 9464 },
    ]);
    expect(monitor.spec.endpoints[0].port).toBe('metrics');
  });

  it('OperatorRbac: cluster rules for tenants, Secrets, ConfigMaps, Events; a Role for its own Lease', () => {
    const chart = testChart();
    new OperatorRbac(chart, 'Rbac', { serviceAccountName: 'lanyard-operator', leaseName: 'lanyard-operator' });
    expect(Testing.synth(chart)).toMatchSnapshot();
  });

  it('marks optional constructs with the value that switches them on', () => {
    const chart = testChart();
    const constructs = [
      new MigrationJob(chart, 'Migrations'),
      new ApiAutoscaler(chart, 'Autoscaler', { deploymentName: 'x' }),
      new ApiIngress(chart, 'Ingress', { serviceName: 'x', servicePort: 8000 }),
      new ServiceMonitor(chart, 'ServiceMonitor', { serviceSelector: {} }),
    ];
    expect(constructs.map((c) => HelmChart.conditionOf(c))).toEqual(['.Values.migrations.enabled', '.Values.autoscaling.enabled', '.Values.ingress.enabled', '.Values.serviceMonitor.enabled']);
  });
});
