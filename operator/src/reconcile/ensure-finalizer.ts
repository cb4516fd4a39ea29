import { CLEANUP_FINALIZER, type IdentityTenant } from '@lanyard/crd';
import type { ReconcileContext } from './reconcile-context.js';

/**
 * Adds `lanyard.dev/cleanup` before anything is created in the identity service, so a tenant can
 * never be deleted from Kubernetes while its clients live on unnoticed (API conventions,
 * "Finalizers"). No write when it is already there.
 */
export async function ensureFinalizer(ctx: ReconcileContext, tenant: IdentityTenant): Promise<IdentityTenant> {
  if (tenant.metadata.finalizers?.includes(CLEANUP_FINALIZER)) return tenant;
  ctx.log.info({ tenant: tenant.metadata.name }, 'adding finalizer');
  return ctx.kube.applyTenantFinalizers(tenant, [CLEANUP_FINALIZER]);
}
