import type { KubernetesObject } from '@kubernetes/client-node';
import type { IdentityTenant } from '@lanyard/crd';
import { LABELS, MANAGER_NAME } from './well-known-names.js';

/**
 * Whether an existing object is this tenant's to manage: made by the operator for this tenant (and
 * client), and not controlled by another IdentityTenant. An object without a controller reference
 * but with the operator's labels was orphaned by an earlier incarnation of the same tenant and is
 * adopted. Anything else is someone else's and is never overwritten.
 */
export function ownsObject(object: KubernetesObject, tenant: IdentityTenant, clientName?: string): boolean {
  const labels = object.metadata?.labels ?? {};
  if (labels[LABELS.managedBy] !== MANAGER_NAME || labels[LABELS.tenant] !== tenant.metadata.name) return false;
  if (clientName !== undefined && labels[LABELS.client] !== clientName) return false;
  const controller = object.metadata?.ownerReferences?.find((r) => r.controller === true);
  return controller === undefined || controller.uid === tenant.metadata.uid;
}
