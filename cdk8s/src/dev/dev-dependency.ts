import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';

export interface DevDependencyProps {
  /** Service and Deployment name (the host name other pods use, as in docker compose). */
  readonly name: string;
  /** Values path of the image reference, e.g. `images.postgres`. */
  readonly imageValue: string;
  /** Named ports; the first is probed. */
  readonly ports: ReadonlyArray<{ readonly name: string; readonly port: number }>;
  /** HTTP path answering 200 when ready. @default a TCP check of the first port */
  readonly readyPath?: string;
  /** @default none */
  readonly env?: Readonly<Record<string, kplus.EnvValue>>;
  /** @default the image's */
  readonly args?: readonly string[];
  /** ConfigMaps mounted read-only: mount path → ConfigMap. @default none */
  readonly configMounts?: Readonly<Record<string, kplus.IConfigMap>>;
  /** Writable emptyDir paths (data directories). @default none */
  readonly scratchPaths?: readonly string[];
  /** Expose the first port as this NodePort (kind-config.yaml maps it to localhost). @default ClusterIP only */
  readonly nodePort?: number;
  /** A ServiceAccount for pods that read the Kubernetes API. @default no token */
  readonly serviceAccount?: kplus.IServiceAccount;
}

/**
 * One third-party development dependency (database, cache, observability) as a single-replica
 * Deployment and Service, with data in emptyDirs. Their images expect to start as root or to
 * write to their root filesystem, so unlike the Lanyard workloads these are not locked down:
 * this is the kind + Tilt stack only, never a production pattern.
 */
export class DevDependency extends Construct {
  public readonly deployment: kplus.Deployment;

  public constructor(scope: Construct, id: string, props: DevDependencyProps) {
    super(scope, id);
    const labels = { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/instance': helm.value('.Release.Name') };
    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: props.name },
      replicas: 1,
      select: false,
      podMetadata: { labels },
      serviceAccount: props.serviceAccount,
      automountServiceAccountToken: props.serviceAccount !== undefined,
      securityContext: { ensureNonRoot: false },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels }));
    HelmChart.patch(ApiObject.of(this.deployment), JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    const [probed] = props.ports;
    if (probed === undefined) throw new Error(`${props.name} needs at least one port`);
    const container = this.deployment.addContainer({
      name: props.name,
      image: helm.quote(`.Values.${props.imageValue}`),
      ...(props.args === undefined ? {} : { args: [...props.args] }),
      ports: props.ports.map(({ name, port }) => ({ name, number: port })),
      readiness:
        props.readyPath === undefined
          ? kplus.Probe.fromTcpSocket({ port: probed.port, periodSeconds: Duration.seconds(5) })
          : kplus.Probe.fromHttpGet(props.readyPath, { port: probed.port, periodSeconds: Duration.seconds(5) }),
      securityContext: { ensureNonRoot: false, readOnlyRootFilesystem: false },
      resources: {},
    });
    for (const [name, value] of Object.entries(props.env ?? {})) container.env.addVariable(name, value);
    for (const [path, configMap] of Object.entries(props.configMounts ?? {})) {
      container.mount(path, kplus.Volume.fromConfigMap(this, `Config${path.replaceAll('/', '-')}`, configMap), { readOnly: true });
    }
    for (const path of props.scratchPaths ?? []) {
      container.mount(path, kplus.Volume.fromEmptyDir(this, `Scratch${path.replaceAll('/', '-')}`, `data${path.replaceAll('/', '-')}`));
    }
    const service = new kplus.Service(this, 'Service', {
      metadata: { name: props.name },
      ports: props.ports.map(({ name, port }, index) => ({ name, port, targetPort: port, ...(index === 0 && props.nodePort !== undefined ? { nodePort: props.nodePort } : {}) })),
      ...(props.nodePort === undefined ? {} : { type: kplus.ServiceType.NODE_PORT }),
    });
    for (const [key, value] of Object.entries(labels)) service.selectLabel(key, value);
  }
}
