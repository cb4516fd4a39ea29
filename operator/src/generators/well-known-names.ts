/** Field manager of every server-side apply the operator makes (Kubernetes "Server-Side Apply"). */
export const FIELD_MANAGER = 'lanyard-operator';

/** `managedBy` of tenants in the identity service and `app.kubernetes.io/managed-by` in Kubernetes. */
export const MANAGER_NAME = 'lanyard-operator';

/** Recommended labels (kubernetes.io "Recommended Labels") plus the operator's own keys. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  partOf: 'app.kubernetes.io/part-of',
  component: 'app.kubernetes.io/component',
  tenant: 'lanyard.dev/tenant',
  client: 'lanyard.dev/client',
  /** The Grafana sidecar loads ConfigMaps carrying this label (docs/reference/identity-tenant.md "Dashboard ConfigMaps"). */
  grafanaDashboard: 'grafana_dashboard',
} as const;

/** Selector of everything the operator owns; its informers watch only these objects. */
export const MANAGED_SELECTOR = `${LABELS.managedBy}=${MANAGER_NAME}`;

/** Annotations the operator keeps on client Secrets (see docs/adr/0002-operator-secrets.md). */
export const ANNOTATIONS = {
  /** SHA-256 (hex) of CLIENT_SECRET as the operator wrote it: an edited value no longer matches. */
  secretSha256: 'lanyard.dev/client-secret-sha256',
  /** Id of CLIENT_SECRET's registration in the identity service. */
  secretId: 'lanyard.dev/client-secret-id',
  /** `spec.clients[].rotation.generation` the stored secret satisfies. */
  rotationGeneration: 'lanyard.dev/rotation-generation',
  /** The Grafana sidecar files the dashboard into this folder (docs/reference/identity-tenant.md "Dashboard ConfigMaps"). */
  grafanaFolder: 'grafana_folder',
} as const;

/** Keys of a client Secret (docs/reference/identity-tenant.md "Client Secrets"). */
export const SECRET_KEYS = {
  clientId: 'CLIENT_ID',
  clientSecret: 'CLIENT_SECRET',
  issuerUrl: 'ISSUER_URL',
  /**
   * A rotation's next secret, staged before it is registered so a crash can never lose it; it
   * becomes CLIENT_SECRET once the identity service accepts it, so consumers never read an
   * unregistered CLIENT_SECRET during a rotation.
   */
  pendingClientSecret: 'PENDING_CLIENT_SECRET',
} as const;

/** Folder of tenant dashboards in Grafana. */
export const DASHBOARD_FOLDER = 'Lanyard tenants';
