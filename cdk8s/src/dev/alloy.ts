import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';
import { devAlloyConfig } from './dev-configs.js';

/** Alloy's HTTP server: its UI, `/-/ready` and its own metrics; internal only. */
export const ALLOY_HTTP_PORT = 12345;

/**
 * Grafana Alloy on every node, tailing the Lanyard pods' log files into Loki (the default log
 * shipper, `logShipper: alloy`; Promtail is the alternative). Like Promtail it reads
 * /var/log/pods from the node and discovers pods through the Kubernetes API.
 */
export class DevAlloy extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    HelmChart.renderIf(this, 'eq .Values.logShipper "alloy"');
    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: 'alloy' } });
    // discovery.kubernetes (role pod) lists and watches pods cluster-wide.
    const role = new k8s.KubeClusterRole(this, 'Role', {
      metadata: { name: `alloy-${helm.value('.Release.Namespace')}` },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'RoleBinding', {
      metadata: { name: role.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: helm.value('.Release.Namespace') }],
    });
    const config = new kplus.ConfigMap(this, 'Config', { metadata: { name: 'alloy' }, data: { 'config.alloy': devAlloyConfig() } });
    const labels = { 'app.kubernetes.io/name': 'alloy', 'app.kubernetes.io/instance': helm.value('.Release.Name') };
    const daemonSet = new kplus.DaemonSet(this, 'DaemonSet', {
      metadata: { name: 'alloy' },
      select: false,
      podMetadata: { labels },
      serviceAccount,
      automountServiceAccountToken: true,
      // Log files under /var/log/pods belong to root.
      securityContext: { ensureNonRoot: false },
    });
    daemonSet.select(kplus.LabelSelector.of({ labels }));
    const container = daemonSet.addContainer({
      name: 'alloy',
      image: helm.quote('.Values.images.alloy'),
      args: ['run', `--server.http.listen-addr=0.0.0.0:${ALLOY_HTTP_PORT}`, '--storage.path=/var/lib/alloy/data', '/etc/alloy/config.alloy'],
      ports: [{ name: 'http', number: ALLOY_HTTP_PORT }],
      readiness: kplus.Probe.fromHttpGet('/-/ready', { port: ALLOY_HTTP_PORT }),
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: true },
      resources: {},
    });
    container.env.addVariable('NODE_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME));
    container.mount('/etc/alloy', kplus.Volume.fromConfigMap(this, 'ConfigVolume', config), { readOnly: true });
    container.mount('/var/log/pods', kplus.Volume.fromHostPath(this, 'Pods', 'pods', { path: '/var/log/pods' }), { readOnly: true });
    // Read positions and the write-ahead state live here.
    container.mount('/var/lib/alloy/data', kplus.Volume.fromEmptyDir(this, 'Data', 'data'));
    HelmChart.patch(ApiObject.of(daemonSet), JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  }
}
