import { chartDashboards } from '@lanyard/dashboards';
import { identityTenantCrd } from '@lanyard/crd';
import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { DashboardConfigMap } from '../constructs/dashboard-config-map.js';
import { LanyardWorkload } from '../constructs/lanyard-workload.js';
import { OperatorRbac } from '../constructs/operator-rbac.js';
import { PrometheusRule } from '../constructs/prometheus-rule.js';
import { ServiceMonitor } from '../constructs/service-monitor.js';
import { HelmChart } from '../helm/helm-chart.js';
import { workloadHelpers } from '../helm/helpers.js';
import type { Json } from '../helm/render-yaml.js';
import { operatorValues } from '../values/operator-values.js';
import { APP_VERSION, CHART_VERSION, configDefault, inClusterApiUrl, serviceLabels } from './chart-meta.js';

const NAME = 'lanyard-operator';
const PORT = 8081;

const notes = `Lanyard operator {{ .Chart.AppVersion }} is installed as {{ include "${NAME}.fullname" . }} in namespace {{ .Release.Namespace }}.

It reconciles IdentityTenant resources (kubectl get identitytenants / idt) against the admin API at
{{ .Values.config.LANYARD_API_URL | default (printf "http://lanyard-api.%s.svc:8000" .Release.Namespace) }}.
An example: examples/identitytenant.yaml in the Lanyard repository.
`;

/** The IdentityTenant operator: CRD (crds/), ServiceAccount with least-privilege RBAC, Deployment. */
export function operatorChart(scope: Construct): HelmChart {
  const chart = new HelmChart(scope, {
    name: NAME,
    description: 'Lanyard operator: reconciles IdentityTenant resources (lanyard.dev/v1alpha1) into tenants, clients and Secrets.',
    version: CHART_VERSION,
    appVersion: APP_VERSION,
    values: operatorValues,
    notes,
    keywords: ['lanyard', 'operator', 'identity'],
    crds: [identityTenantCrd as unknown as Json],
    helpers: workloadHelpers(NAME, configDefault('LANYARD_API_URL', inClusterApiUrl('"lanyard-api"'))),
  });
  const leaseName = chart.resourceName();
  const operator = new LanyardWorkload(chart, 'Operator', {
    component: 'operator',
    args: ['dist/operator.js'],
    port: PORT,
    kubernetesApiAccess: true,
    env: {
      OPERATOR_HOST: kplus.EnvValue.fromValue('0.0.0.0'),
      OPERATOR_PORT: kplus.EnvValue.fromValue(String(PORT)),
      // Leader election: this pod's identity, and a Lease in the release namespace (the Role below).
      POD_NAME: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAME),
      LEASE_NAMESPACE: kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.POD_NAMESPACE),
      LEASE_NAME: kplus.EnvValue.fromValue(leaseName),
    },
  });
  new OperatorRbac(chart, 'Rbac', { serviceAccountName: operator.serviceAccount.name, leaseName });
  new ServiceMonitor(chart, 'ServiceMonitor', { serviceSelector: serviceLabels(NAME) });
  new PrometheusRule(chart, 'PrometheusRule', { group: NAME });
  new DashboardConfigMap(chart, 'Dashboard', { dashboards: chartDashboards.operator });
  return chart;
}

