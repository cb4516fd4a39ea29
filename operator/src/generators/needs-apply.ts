import type { KubernetesObject, V1OwnerReference } from '@kubernetes/client-node';

/** An owned object: a Secret or a ConfigMap as far as comparison goes. */
export interface DataObject extends KubernetesObject {
  type?: string;
  data?: { [key: string]: string };
}

/** Which fields of an object the operator is responsible for. */
export interface ManagedFields {
  /** Data keys the operator writes (present or, by omission, absent). */
  readonly dataKeys: readonly string[];
  /** Annotation keys the operator writes (present or, by omission, absent). */
  readonly annotationKeys: readonly string[];
}

const sameOwner = (a: V1OwnerReference, b: V1OwnerReference) => a.uid === b.uid && a.controller === b.controller && a.kind === b.kind;

/**
 * Whether applying `desired` would change `actual` in a field the operator manages. Server-side apply
 * of an unchanged object is still a write request (and an audit event, and a watch event in some
 * versions), so quiet reconciles compare first and apply only on a difference. Labels and
 * annotations added by others are not the operator's business and never count as drift.
 */
export function needsApply(desired: DataObject, actual: DataObject | undefined, managed: ManagedFields): boolean {
  if (actual === undefined) return true;
  if (desired.type !== undefined && desired.type !== actual.type) return true;
  for (const key of managed.dataKeys) if (desired.data?.[key] !== actual.data?.[key]) return true;
  for (const [key, value] of Object.entries(desired.metadata?.labels ?? {})) if (actual.metadata?.labels?.[key] !== value) return true;
  for (const key of managed.annotationKeys) if (desired.metadata?.annotations?.[key] !== actual.metadata?.annotations?.[key]) return true;
  const wanted = desired.metadata?.ownerReferences ?? [];
  const present = actual.metadata?.ownerReferences ?? [];
  if (wanted.some((w) => !present.some((p) => sameOwner(w, p)))) return true;
  // Orphaning: the operator's controller reference must go.
  if (wanted.length === 0 && present.some((p) => p.controller === true && p.kind === 'IdentityTenant')) return true;
  return false;
}
