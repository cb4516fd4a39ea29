/** The slice of Kubernetes objects the tests look at. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

export interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly env?: Array<{ name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }>;
  readonly ports?: Array<{ name?: string; containerPort: number }>;
  readonly resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readonly livenessProbe?: { httpGet?: { path: string } };
  readonly readinessProbe?: { httpGet?: { path: string } };
  readonly securityContext?: Record<string, unknown>;
  readonly volumeMounts?: Array<{ name: string; mountPath: string }>;
}

export interface PodSpec {
  readonly containers: Container[];
  readonly automountServiceAccountToken?: boolean;
  readonly securityContext?: Record<string, unknown>;
  readonly volumes?: Array<{ name: string; emptyDir?: unknown; secret?: { secretName: string; items?: Array<{ key: string; path: string }> } }>;
}

/** The pod template of a Deployment, DaemonSet or Job. */
export function podSpecOf(manifest: Manifest): PodSpec {
  const template = (manifest.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
  if (template === undefined) throw new Error(`${manifest.kind} ${manifest.metadata.name} has no pod template`);
  return template;
}

export const isWorkload = (manifest: Manifest): boolean => ['Deployment', 'DaemonSet', 'Job', 'StatefulSet'].includes(manifest.kind);

export const byKind = (manifests: readonly Manifest[], kind: string): Manifest[] => manifests.filter((m) => m.kind === kind);
