import type { DataObject, ManagedFields } from './needs-apply.js';

/**
 * The apply configuration that keeps everything the operator wrote on an object except its
 * controller reference (deletionPolicy Orphan). Server-side apply removes what the manager applied
 * before and omits now, so the data must be re-stated, or it would be deleted along with the
 * reference.
 */
export function orphanManifest<T extends DataObject>(actual: T, managed: ManagedFields): T {
  const pick = (source: Record<string, string> | undefined, keys: readonly string[]) =>
    Object.fromEntries(keys.filter((k) => source?.[k] !== undefined).map((k) => [k, source![k]!]));
  const labels = Object.fromEntries(Object.entries(actual.metadata?.labels ?? {}).filter(([k]) => k.startsWith('app.kubernetes.io/') || k.startsWith('lanyard.dev/') || k === 'grafana_dashboard'));
  return {
    apiVersion: actual.apiVersion,
    kind: actual.kind,
    metadata: {
      name: actual.metadata?.name,
      namespace: actual.metadata?.namespace,
      labels,
      annotations: pick(actual.metadata?.annotations, managed.annotationKeys),
    },
    ...(actual.type === undefined ? {} : { type: actual.type }),
    data: pick(actual.data, managed.dataKeys),
  } as T;
}
