import { ApiException } from '@kubernetes/client-node';
import type { PartCondition, PartOutcome } from '../generators/tenant-conditions.js';
import { failedTenantStatus } from '../generators/tenant-status.js';
import { AdminApiError, IdentityServiceUnavailable } from '../identity/identity-errors.js';
import type { ReconcileContext } from './reconcile-context.js';
import { writeStatus } from './write-status.js';

/** The condition a failed reconcile leaves behind, by kind of failure. */
export function failureOutcome(error: unknown): { outcome: PartOutcome; part?: PartCondition } {
  if (error instanceof IdentityServiceUnavailable) {
    return { part: 'TenantReady', outcome: { status: 'False', reason: 'IdentityServiceUnavailable', message: `The identity service is unavailable: ${error.message}. Retrying with backoff; no Secret was changed.` } };
  }
  if (error instanceof AdminApiError) {
    return { part: 'ClientsReady', outcome: { status: 'False', reason: 'IdentityServiceRejected', message: error.message } };
  }
  if (error instanceof ApiException) {
    const status = (error as ApiException<unknown>).code;
    return { outcome: { status: 'False', reason: 'KubernetesApiError', message: `Kubernetes API call failed with ${status}: ${String((error as ApiException<unknown>).body).slice(0, 500)}` } };
  }
  return { outcome: { status: 'False', reason: 'ReconcileError', message: error instanceof Error ? error.message : String(error) } };
}

/**
 * The queue boundary's report of a failed reconcile: conditions (and, on a transition, an Event)
 * on the object as it is now. Nothing else is written, so an outage cannot touch a Secret.
 */
export async function reportFailure(ctx: ReconcileContext, name: string, error: unknown): Promise<void> {
  const tenant = await ctx.kube.getTenant(name);
  if (tenant === undefined) return;
  const { outcome, part } = failureOutcome(error);
  await writeStatus(ctx, tenant, failedTenantStatus(tenant, outcome, part, ctx.now()));
}
