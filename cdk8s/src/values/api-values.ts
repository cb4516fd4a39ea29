import { type ObjectSpec, v } from '../helm/values-spec.js';
import { workloadValues } from './common-values.js';

/** Variables of the API that may come from the Secret (they have `<VAR>_FILE` variants). */
export const API_SECRET_VARIABLES = ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'KEY_ENCRYPTION_KEY', 'BOOTSTRAP_ADMIN_CLIENT_SECRET'] as const;

/** Keys of the shared `lanyard` Secret (docs/deploy.md shows how to create it). */
export const SECRET_KEYS = {
  DATABASE_URL: 'database-url',
  REDIS_URL: 'redis-url',
  SMTP_URL: 'smtp-url',
  KEY_ENCRYPTION_KEY: 'key-encryption-key',
  BOOTSTRAP_ADMIN_CLIENT_SECRET: 'bootstrap-admin-client-secret',
} as const;

export const apiValues: ObjectSpec = v.object('lanyard-api', {
  enabled: v.bool(true, 'Switch used by the lanyard umbrella chart; ignored when this chart is installed on its own.'),
  ...workloadValues({
    replicas: 2,
    requests: { cpu: '250m', memory: '256Mi' },
    limits: { cpu: '2', memory: '512Mi' },
    // PUBLIC_URL defaults to the in-cluster Service URL (see _helpers.tpl); set it to the ingress URL.
    config: { NODE_ENV: 'production', LOG_LEVEL: 'info', DATABASE_POOL_MAX: '10', UV_THREADPOOL_SIZE: '8' },
    secretCapable: API_SECRET_VARIABLES,
    requiredSecrets: ['DATABASE_URL', 'REDIS_URL', 'KEY_ENCRYPTION_KEY', 'BOOTSTRAP_ADMIN_CLIENT_SECRET'],
    secretFiles: SECRET_KEYS,
    // METRICS_PORT is fixed like PORT: the ServiceMonitor and the dev Prometheus scrape 9464.
    fixed: ['HOST', 'PORT', 'METRICS_PORT'],
    dashboard: 'Lanyard / API',
  }),
  ingress: v.object('Exposes the API (issuers, hosted pages, /docs) through an Ingress controller.', {
    enabled: v.bool(false, 'Create the Ingress.'),
    className: v.string('', 'IngressClass name; empty uses the cluster default.'),
    host: v.string('lanyard.example.com', 'Host name; set config.PUBLIC_URL to match (https://<host>).', {
      pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
    }),
    annotations: v.free({}, 'Annotations for the Ingress controller (e.g. cert-manager issuer).', { type: 'object', additionalProperties: { type: 'string' } }),
    trustedProxyHops: v.int(
      1,
      'TRUST_PROXY_HOPS while the Ingress is enabled: proxy hops whose X-Forwarded-For is trusted, so per-IP rate limits and audit see the client (1 = the ingress controller; 2 if a load balancer that appends X-Forwarded-For sits in front of it). Without the Ingress it is 0; config.TRUST_PROXY_HOPS overrides both.',
      { minimum: 0, maximum: 10 },
    ),
    tls: v.object('TLS termination at the Ingress.', {
      enabled: v.bool(false, 'Serve https with the certificate in secretName.'),
      secretName: v.string('lanyard-api-tls', 'Secret of type kubernetes.io/tls (created by you or cert-manager).', { minLength: 1 }),
    }),
  }),
  autoscaling: v.object('HorizontalPodAutoscaler on CPU; replicaCount is ignored while it is enabled.', {
    enabled: v.bool(true, 'Create the HorizontalPodAutoscaler (needs metrics-server for CPU metrics).'),
    minReplicas: v.int(2, 'Fewest pods.', { minimum: 1, maximum: 100 }),
    maxReplicas: v.int(10, 'Most pods.', { minimum: 1, maximum: 100 }),
    targetCPUUtilizationPercentage: v.int(70, 'Average CPU utilisation (of requests) to aim for.', { minimum: 1, maximum: 100 }),
  }),
  podDisruptionBudget: v.object('PodDisruptionBudget for the API pods.', {
    enabled: v.bool(true, 'Create the PodDisruptionBudget.'),
    minAvailable: v.free(1, 'Pods that must stay up during voluntary disruptions: a number or a percentage ("50%").', {
      anyOf: [{ type: 'integer', minimum: 0 }, { type: 'string', pattern: '^[0-9]{1,3}%$' }],
    }),
  }),
  migrations: v.object('Database migrations as a pre-install/pre-upgrade hook Job (`npm run migrate`).', {
    enabled: v.bool(true, 'Run migrations before every install and upgrade.'),
    backoffLimit: v.int(3, 'Retries of a failed migration pod.', { minimum: 0, maximum: 10 }),
    activeDeadlineSeconds: v.int(600, 'Give up (and fail the release) after this long.', { minimum: 30 }),
    resources: v.free({ requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } }, 'Resources of the migration container.', { type: 'object' }),
  }),
});
