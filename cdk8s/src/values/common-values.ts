import { type JsonSchema, type ValueSpec, v } from '../helm/values-spec.js';

/** The image every Lanyard chart runs (docker/Dockerfile: one image, one entry point per process). */
export const IMAGE_REPOSITORY = 'ghcr.io/lanyard/lanyard';

/** A Kubernetes quantity: an integer, or a string like `250m` / `512Mi`. */
const quantity: JsonSchema = { anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$' }] };

const resourceList: JsonSchema = { type: 'object', additionalProperties: false, properties: { cpu: quantity, memory: quantity, 'ephemeral-storage': quantity } };

const stringMap: JsonSchema = { type: 'object', additionalProperties: { type: 'string' } };

/** What a workload chart needs to describe its values. */
export interface WorkloadValuesOptions {
  readonly replicas: number;
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
  /** Non-secret configuration defaults (become the ConfigMap). */
  readonly config: Readonly<Record<string, string>>;
  /** Variables that may come from the Secret (they have a `<VAR>_FILE` variant in @lanyard/config). */
  readonly secretCapable: readonly string[];
  /** Variables without a usable default that must therefore be mapped in `secrets.files`. */
  readonly requiredSecrets: readonly string[];
  /** Secret keys mounted by default: variable → key in `secrets.existingSecret`. */
  readonly secretFiles: Readonly<Record<string, string>>;
  /** Variables the chart sets itself (listen address, port); they cannot be overridden. */
  readonly fixed: readonly string[];
  /** Name of the Grafana dashboard the chart ships. */
  readonly dashboard: string;
}

/** Values shared by the api, worker and operator charts. */
export function workloadValues(options: WorkloadValuesOptions): Record<string, ValueSpec> {
  const forbiddenInConfig = [...options.secretCapable, ...options.fixed];
  return {
    fullnameOverride: v.string('', 'Name of every resource of this chart; empty means the chart name, which is what the other charts expect.', { pattern: '^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?$' }),
    image: v.object('The Lanyard image (docker/Dockerfile); the same image runs every process.', {
      repository: v.string(IMAGE_REPOSITORY, 'Image repository.', { minLength: 1 }),
      tag: v.string('', "Image tag; empty means the chart's appVersion.", { pattern: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$|^$' }),
      pullPolicy: v.string('IfNotPresent', 'When the kubelet pulls the image.', { enum: ['Always', 'IfNotPresent', 'Never'] }),
    }),
    imagePullSecrets: v.free([], 'Secrets for pulling the image from a private registry, e.g. [{name: regcred}].', {
      type: 'array',
      items: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } }, additionalProperties: false },
    }),
    replicaCount: v.int(options.replicas, 'Number of pods.', { minimum: 0, maximum: 100 }),
    nodeArgs: v.free([], 'Extra Node.js flags before the entry point, e.g. ["--max-old-space-size=384"]; Tilt adds --watch.', {
      type: 'array',
      items: { type: 'string', pattern: '^--[a-z][-a-z0-9]*(=.*)?$' },
    }),
    readOnlyRootFilesystem: v.bool(true, 'Keep the root filesystem read-only (writes go to the /tmp emptyDir). Only Tilt turns it off, to sync files into the container.'),
    resources: v.free({ requests: { ...options.requests }, limits: { ...options.limits } }, 'CPU and memory requests and limits of the container.', {
      type: 'object',
      additionalProperties: false,
      properties: { requests: resourceList, limits: resourceList },
    }),
    config: v.free(
      { ...options.config },
      'Non-secret configuration as environment variables (see .env.example for every variable). Secrets go in `secrets`, never here: their names are rejected.',
      {
        type: 'object',
        // Beyond the known secrets, any *PASSWORD* name (say REDIS_PASSWORD) would put one in a ConfigMap.
        propertyNames: { pattern: '^[A-Z][A-Z0-9_]*$', not: { anyOf: [{ enum: forbiddenInConfig }, { pattern: 'PASSWORD' }] } },
        additionalProperties: { type: ['string', 'number', 'boolean'] },
      },
    ),
    secrets: v.object('Secret configuration, read from a Secret you create (the chart never creates or stores secrets).', {
      existingSecret: v.string('lanyard', 'Name of an existing Secret in the release namespace.', { minLength: 1, maxLength: 253 }),
      files: v.free(
        { ...options.secretFiles },
        'Variable → key in existingSecret. Each key is mounted read-only as a file and the process gets `<VAR>_FILE` pointing at it.',
        {
          type: 'object',
          required: [...options.requiredSecrets],
          propertyNames: { enum: [...options.secretCapable] },
          additionalProperties: { type: 'string', pattern: '^[-._a-zA-Z0-9]+$' },
        },
      ),
    }),
    service: v.object('The Service in front of the pods (port fixed, see docs/reference/ports.md).', {
      type: v.string(
        'ClusterIP',
        "Service type; kind-config.yaml maps NodePorts to localhost. NodePort and LoadBalancer publish every port of the Service (the API's metrics port too): expose the API through the Ingress instead.",
        { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
      ),
      nodePort: v.int(0, 'Fixed node port for NodePort/LoadBalancer; 0 lets Kubernetes choose.', { anyOf: [{ const: 0 }, { minimum: 30000, maximum: 32767 }] }),
    }),
    podAnnotations: v.free({}, 'Extra annotations on the pods.', stringMap),
    nodeSelector: v.free({}, 'Node labels the pods must run on.', stringMap),
    tolerations: v.free([], 'Tolerations of the pods.', { type: 'array', items: { type: 'object' } }),
    affinity: v.free({}, 'Affinity rules of the pods.', { type: 'object' }),
    serviceMonitor: v.object('A prometheus-operator ServiceMonitor for /metrics (needs the monitoring.coreos.com CRDs).', {
      enabled: v.bool(false, 'Create the ServiceMonitor.'),
      interval: v.string('30s', 'Scrape interval.', { pattern: '^[0-9]+(ms|s|m|h)$' }),
      labels: v.free({}, 'Extra labels, e.g. the `release` label your Prometheus selects on.', stringMap),
    }),
    prometheusRule: v.object("A prometheus-operator PrometheusRule with this component's alerts (prometheus/alerts.yml).", {
      enabled: v.bool(false, 'Create the PrometheusRule.'),
      labels: v.free({}, 'Extra labels, e.g. the `release` label your Prometheus selects on.', stringMap),
    }),
    dashboards: v.object(`The ${options.dashboard} Grafana dashboard as a ConfigMap for the Grafana sidecar (label grafana_dashboard: "1").`, {
      enabled: v.bool(false, 'Create the dashboard ConfigMap.'),
      folder: v.string('Lanyard', 'Grafana folder (annotation grafana_folder).', { minLength: 1 }),
    }),
  };
}
