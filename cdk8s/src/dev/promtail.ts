import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';
import { devPromtailConfig } from './dev-configs.js';

/**
 * Promtail on every node, tailing the Lanyard pods' log files into Loki: the end-of-life
 * alternative to Alloy, rendered with `logShipper: promtail`.
 */
export class DevPromtail extends Construct {
  public constructor(scope: Construct, id: string) {
    super(scope, id);
    HelmChart.renderIf(this, 'eq .Values.logShipper "promtail"');
    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: 'promtail' } });
    // Pod discovery (kubernetes_sd_configs role pod) lists and watches pods cluster-wide.
    const role = new k8s.KubeClusterRole(this, 'Role', {
      metadata: { name: `promtail-${helm.value('.Release.Namespace')}` },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'RoleBinding', {
      metadata: { name: role.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: helm.value('.Release.Namespace') }],
    });
    const config = new kplus.ConfigMap(this, 'Config', { metadata: { name: 'promtail' }, data: { 'promtail.yaml': devPromtailConfig() } });
    const labels = { 'app.kubernetes.io/name': 'promtail', 'app.kubernetes.io/instance': helm.value('.Release.Name') };
    const daemonSet = new kplus.DaemonSet(this, 'DaemonSet', {
      metadata: { name: 'promtail' },
      select: false,
      podMetadata: { labels },
      serviceAccount,
      automountServiceAccountToken: true,
      // Log files under /var/log/pods belong to root.
      securityContext: { ensureNonRoot: false },
    });
    daemonSet.select(kplus.LabelSelector.of({ labels }));
    const container = daemonSet.addContainer({
      name: 'promtail',
      image: helm.quote('.Values.images.promtail'),
      args: ['-config.file=/etc/promtail/promtail.yaml', '-config.expand-env=true'],
      ports: [{ name: 'http', number: 9080 }],
      readiness: kplus.Probe.fromHttpGet('/ready', { port: 9080 }),
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: true },
      resources: {},
    });
    container.env.addVariable('NODE_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME));
    container.mount('/etc/promtail', kplus.Volume.fromConfigMap(this, 'ConfigVolume', config), { readOnly: true });
    container.mount('/var/log/pods', kplus.Volume.fromHostPath(this, 'Pods', 'pods', { path: '/var/log/pods' }), { readOnly: true });
    container.mount('/run/promtail', kplus.Volume.fromEmptyDir(this, 'Positions', 'positions'));
    HelmChart.patch(ApiObject.of(daemonSet), JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  }
}
