import type { IdentityTenant, IdentityTenantStatus } from '@lanyard/crd';
import { sameStatus } from '../generators/tenant-status.js';
import type { ReconcileContext } from './reconcile-context.js';

/**
 * Applies the status only when it differs from what is stored, and records an Event only when the
 * Ready condition changes status or reason: quiet reconciles write nothing, transitions are told
 * once (API conventions "Events").
 */
export async function writeStatus(ctx: ReconcileContext, tenant: IdentityTenant, status: IdentityTenantStatus): Promise<void> {
  if (sameStatus(tenant.status, status)) return;
  await ctx.kube.applyTenantStatus(tenant, status);
  const before = tenant.status?.conditions?.find((c) => c.type === 'Ready');
  const after = status.conditions?.find((c) => c.type === 'Ready');
  if (after !== undefined && (before?.status !== after.status || before.reason !== after.reason)) {
    ctx.log.info({ tenant: tenant.metadata.name, ready: after.status, reason: after.reason }, 'tenant readiness changed');
    await ctx.events.record(tenant, after.status === 'True' ? 'Normal' : 'Warning', after.reason, after.message);
  }
}
