import { ApiObject, Duration, JsonPatch, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { SECRETS_DIR } from '../helm/helpers.js';
import { helm } from '../helm/markers.js';

/** The non-root user of the image (docker/Dockerfile: the `node` user of the Node.js base image). */
export const IMAGE_UID = 1000;

/** The Pod Security "restricted" profile for every container we run: non-root, read-only, no capabilities. */
export const RESTRICTED_CONTAINER: kplus.ContainerSecurityContextProps = {
  ensureNonRoot: true,
  user: IMAGE_UID,
  group: IMAGE_UID,
  readOnlyRootFilesystem: true,
  allowPrivilegeEscalation: false,
  privileged: false,
  capabilities: { drop: [kplus.Capability.ALL] },
  seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
};

export interface LanyardWorkloadProps {
  /** Container name, e.g. `api`. */
  readonly component: string;
  /** Arguments after `node` in the image, e.g. `['dist/api.js']`. */
  readonly args: readonly string[];
  /** The HTTP port (named `http`) serving /healthz and /readyz, and /metrics unless `metricsPort` is set (docs/reference/ports.md). */
  readonly port: number;
  /**
   * A second listener, named `metrics`, that alone serves /metrics: for a process whose `http` port
   * is public (the API behind its Ingress). The Service exposes it next to `http`.
   * @default none: /metrics is on `port`
   */
  readonly metricsPort?: number;
  /** Variables the chart sets itself (listen address and port, downward API values). */
  readonly env: Readonly<Record<string, kplus.EnvValue>>;
  /**
   * Mount a Kubernetes API token: only a controller that talks to the API server needs one.
   * @default false
   */
  readonly kubernetesApiAccess?: boolean;
  /**
   * Leave `replicas` to a HorizontalPodAutoscaler when this Go template condition holds.
   * @default replicas always come from `replicaCount`
   */
  readonly autoscalingCondition?: string;
  /** Seconds between SIGTERM and SIGKILL; above the process's SHUTDOWN_GRACE_SECONDS. @default 30 */
  readonly terminationGraceSeconds?: number;
}

/**
 * A Lanyard process as a Deployment with its ServiceAccount, ConfigMap and Service, secured the
 * same way everywhere: non-root, read-only root filesystem (with an emptyDir for /tmp), no
 * capabilities, RuntimeDefault seccomp — the Pod Security Standards "restricted" profile.
 */
export class LanyardWorkload extends Construct {
  public readonly deployment: kplus.Deployment;
  public readonly service: kplus.Service;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly configMap: kplus.ConfigMap;

  public constructor(scope: Construct, id: string, props: LanyardWorkloadProps) {
    super(scope, id);
    const chart = HelmChart.of(this);
    const selector = chart.selectorLabels(props.component);
    const apiAccess = props.kubernetesApiAccess ?? false;

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: chart.resourceName() },
      automountToken: apiAccess,
    });

    this.configMap = new kplus.ConfigMap(this, 'Config', { metadata: { name: chart.resourceName('config') } });
    HelmChart.patch(ApiObject.of(this.configMap), JsonPatch.add('/data', helm.block(chart.include('configData'))));

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: chart.resourceName() },
      select: false,
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: apiAccess,
      podMetadata: { labels: selector },
      terminationGracePeriod: Duration.seconds(props.terminationGraceSeconds ?? 30),
      securityContext: { ensureNonRoot: true, user: IMAGE_UID, group: IMAGE_UID, fsGroup: IMAGE_UID },
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: selector }));

    const container = this.deployment.addContainer({
      name: props.component,
      image: helm.quote(chart.include('image')),
      command: ['node'],
      // Extra Node.js flags (values: nodeArgs) go before the entry point; nothing when there are none.
      args: [helm.block('toYaml .Values.nodeArgs | trimPrefix "[]"'), ...props.args],
      ports: [{ number: props.port, name: 'http' }, ...(props.metricsPort === undefined ? [] : [{ number: props.metricsPort, name: 'metrics' }])],
      liveness: kplus.Probe.fromHttpGet('/healthz', { port: props.port, periodSeconds: Duration.seconds(10), failureThreshold: 3 }),
      readiness: kplus.Probe.fromHttpGet('/readyz', { port: props.port, periodSeconds: Duration.seconds(5), failureThreshold: 2 }),
      // Start-up (migrations done, pools connected) may take longer than a liveness period.
      startup: kplus.Probe.fromHttpGet('/healthz', { port: props.port, periodSeconds: Duration.seconds(2), failureThreshold: 30 }),
      securityContext: RESTRICTED_CONTAINER,
    });
    for (const [name, value] of Object.entries(props.env)) container.env.addVariable(name, value);
    container.env.copyFrom(kplus.Env.fromConfigMap(this.configMap));
    // The only writable path: Node and libraries write temporary files here.
    container.mount('/tmp', kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp', { sizeLimit: Size.mebibytes(64) }));

    const podSpec = '/spec/template/spec';
    const deployment = ApiObject.of(this.deployment);
    HelmChart.patch(
      deployment,
      // Secrets as files: the volume lists exactly the keys in `secrets.files` (see _helpers.tpl).
      JsonPatch.add(`${podSpec}/volumes/-`, {
        name: 'secrets',
        secret: { secretName: helm.value('.Values.secrets.existingSecret'), defaultMode: 0o440, items: helm.block(chart.include('secretItems')) },
      }),
      JsonPatch.add(`${podSpec}/containers/0/volumeMounts/-`, { name: 'secrets', mountPath: SECRETS_DIR, readOnly: true }),
      JsonPatch.add(`${podSpec}/containers/0/env/-`, helm.block(chart.include('secretFileEnv'))),
      JsonPatch.replace(`${podSpec}/containers/0/resources`, helm.block('toYaml .Values.resources')),
      JsonPatch.replace(`${podSpec}/containers/0/imagePullPolicy`, helm.value('.Values.image.pullPolicy')),
      JsonPatch.replace(`${podSpec}/containers/0/securityContext/readOnlyRootFilesystem`, helm.value('.Values.readOnlyRootFilesystem')),
      JsonPatch.add(`${podSpec}/imagePullSecrets`, helm.block('toYaml .Values.imagePullSecrets')),
      JsonPatch.add(`${podSpec}/nodeSelector`, helm.block('toYaml .Values.nodeSelector')),
      JsonPatch.add(`${podSpec}/tolerations`, helm.block('toYaml .Values.tolerations')),
      JsonPatch.add(`${podSpec}/affinity`, helm.block('toYaml .Values.affinity')),
      JsonPatch.add(`${podSpec}/securityContext/seccompProfile`, { type: 'RuntimeDefault' }),
      // Selection uses the standard labels, not cdk8s-plus's construct-path label.
      JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'),
      // Roll the pods when the configuration changes; user annotations come first.
      JsonPatch.add('/spec/template/metadata/annotations', {
        [helm.spliceKey('toYaml .Values.podAnnotations | trimPrefix "{}"')]: null,
        'checksum/config': helm.quote(`${chart.include('configData')} | sha256sum`),
      }),
      JsonPatch.remove('/spec/replicas'),
      JsonPatch.add(
        `/spec/${props.autoscalingCondition === undefined ? 'replicas' : helm.when(`not (${props.autoscalingCondition})`, 'replicas')}`,
        helm.value('.Values.replicaCount'),
      ),
    );

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name: chart.resourceName() },
      ports: [
        { name: 'http', port: props.port, targetPort: props.port },
        ...(props.metricsPort === undefined ? [] : [{ name: 'metrics', port: props.metricsPort, targetPort: props.metricsPort }]),
      ],
    });
    for (const [key, value] of Object.entries(selector)) this.service.selectLabel(key, value);
    HelmChart.patch(
      ApiObject.of(this.service),
      JsonPatch.replace('/spec/type', helm.value('.Values.service.type')),
      JsonPatch.add(`/spec/ports/0/${helm.when('and (ne .Values.service.type "ClusterIP") .Values.service.nodePort', 'nodePort')}`, helm.value('.Values.service.nodePort')),
    );
  }
}
