import type { IdentityTenant } from '@lanyard/crd';

/**
 * Where a reconcile tells a tenant's story (`core/v1` Events in a cluster, see
 * ../kube/event-recorder.ts). Called on condition transitions only.
 */
export interface EventSink {
  record(tenant: IdentityTenant, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void>;
}
