import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';

export interface NodeLogShipperProps {
  /** Name of every object, and the `logShipper` value that renders it (`alloy`, `promtail`). */
  readonly name: string;
  /** Values key of its image under `.Values.images`. */
  readonly image: string;
  readonly args: readonly string[];
  /** Its HTTP port, and the path that says it is ready. */
  readonly port: number;
  readonly readinessPath: string;
  /** Where its configuration is mounted, and the file name and content there. */
  readonly configDir: string;
  readonly configFile: string;
  readonly config: string;
  /** Where it keeps its read positions (an emptyDir). */
  readonly stateDir: string;
}

/**
 * A log shipper on every node of the dev cluster, tailing the pods' log files (root-owned, under
 * /var/log/pods) into Loki and discovering pods through the Kubernetes API (read-only, pods only).
 * Rendered only when `logShipper` names it, so exactly one of them runs.
 */
export class NodeLogShipper extends Construct {
  public constructor(scope: Construct, id: string, props: NodeLogShipperProps) {
    super(scope, id);
    HelmChart.renderIf(this, `eq .Values.logShipper "${props.name}"`);
    const serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', { metadata: { name: props.name } });
    const role = new k8s.KubeClusterRole(this, 'Role', {
      metadata: { name: `${props.name}-${helm.value('.Release.Namespace')}` },
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch'] }],
    });
    new k8s.KubeClusterRoleBinding(this, 'RoleBinding', {
      metadata: { name: role.name },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role.name },
      subjects: [{ kind: 'ServiceAccount', name: serviceAccount.name, namespace: helm.value('.Release.Namespace') }],
    });
    const config = new kplus.ConfigMap(this, 'Config', { metadata: { name: props.name }, data: { [props.configFile]: props.config } });
    const labels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/instance': helm.value('.Release.Name') };
    const daemonSet = new kplus.DaemonSet(this, 'DaemonSet', {
      metadata: { name: props.name },
      select: false,
      podMetadata: { labels },
      serviceAccount,
      automountServiceAccountToken: true,
      // Log files under /var/log/pods belong to root.
      securityContext: { ensureNonRoot: false },
    });
    daemonSet.select(kplus.LabelSelector.of({ labels }));
    const container = daemonSet.addContainer({
      name: props.name,
      image: helm.quote(`.Values.images.${props.image}`),
      args: [...props.args],
      ports: [{ name: 'http', number: props.port }],
      readiness: kplus.Probe.fromHttpGet(props.readinessPath, { port: props.port }),
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: true },
      resources: {},
    });
    container.env.addVariable('NODE_NAME', kplus.EnvValue.fromFieldRef(kplus.EnvFieldPaths.NODE_NAME));
    container.mount(props.configDir, kplus.Volume.fromConfigMap(this, 'ConfigVolume', config), { readOnly: true });
    container.mount('/var/log/pods', kplus.Volume.fromHostPath(this, 'Pods', 'pods', { path: '/var/log/pods' }), { readOnly: true });
    container.mount(props.stateDir, kplus.Volume.fromEmptyDir(this, 'State', 'state'));
    HelmChart.patch(ApiObject.of(daemonSet), JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
  }
}
