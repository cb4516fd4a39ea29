import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';
import { devGrafanaDashboardProvider, devGrafanaDatasources } from './dev-configs.js';
import { DevDependency } from './dev-dependency.js';
import { KIND_NODE_PORTS } from './node-ports.js';

const DASHBOARDS_DIR = '/tmp/dashboards';

/**
 * Grafana with the k8s-sidecar that loads every ConfigMap labelled grafana_dashboard: "1" from any
 * namespace — the charts' dashboards and the operator's per-tenant ones — as kube-prometheus-stack
 * does. Anonymous users are Viewers; the admin password is the dev default "admin".
 */
export class DevGrafana extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: 'grafana' } });
    const role = new k8s.KubeClusterRole(this, 'SidecarRole', {
      metadata: { name: `grafana-sidecar-${helm.value('.Release.Namespace')}` },
      rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'SidecarRoleBinding', {
      metadata: { name: role.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: helm.value('.Release.Namespace') }],
    });
    const datasources = new kplus.ConfigMap(this, 'Datasources', { metadata: { name: 'grafana-datasources' }, data: { 'datasources.yaml': devGrafanaDatasources() } });
    const providers = new kplus.ConfigMap(this, 'Providers', {
      metadata: { name: 'grafana-dashboard-providers' },
      data: { 'sidecar.yaml': devGrafanaDashboardProvider(DASHBOARDS_DIR) },
    });
    const grafana = new DevDependency(this, 'Server', {
      name: 'grafana',
      imageValue: 'images.grafana',
      ports: [{ name: 'http', port: 3000 }],
      readyPath: '/api/health',
      nodePort: KIND_NODE_PORTS.grafana.nodePort,
      serviceAccount,
      env: {
        GF_AUTH_ANONYMOUS_ENABLED: kplus.EnvValue.fromValue('true'),
        GF_AUTH_ANONYMOUS_ORG_ROLE: kplus.EnvValue.fromValue('Viewer'),
        GF_SECURITY_ADMIN_PASSWORD: kplus.EnvValue.fromValue('admin'),
      },
      configMounts: { '/etc/grafana/provisioning/datasources': datasources, '/etc/grafana/provisioning/dashboards': providers },
    });
    const dashboards = kplus.Volume.fromEmptyDir(this, 'Dashboards', 'dashboards');
    grafana.deployment.containers[0]?.mount(DASHBOARDS_DIR, dashboards);
    const sidecar = grafana.deployment.addContainer({
      name: 'dashboards-sidecar',
      image: helm.quote('.Values.images.grafanaSidecar'),
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
      resources: {},
    });
    const env: Record<string, string> = {
      LABEL: 'grafana_dashboard',
      LABEL_VALUE: '1',
      FOLDER: DASHBOARDS_DIR,
      FOLDER_ANNOTATION: 'grafana_folder',
      RESOURCE: 'configmap',
      NAMESPACE: 'ALL',
    };
    for (const [name, value] of Object.entries(env)) sidecar.env.addVariable(name, kplus.EnvValue.fromValue(value));
    sidecar.mount(DASHBOARDS_DIR, dashboards);
    // cdk8s-plus adds a TCP startup probe on the first port to every container; the sidecar has none.
    HelmChart.patch(ApiObject.of(grafana.deployment), JsonPatch.remove('/spec/template/spec/containers/1/startupProbe'));
  }
}
