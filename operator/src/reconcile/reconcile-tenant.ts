import type { IdentityTenantClientStatus } from '@lanyard/crd';
import type { PartCondition, PartOutcome } from '../generators/tenant-conditions.js';
import { tenantStatus } from '../generators/tenant-status.js';
import type { ClientOutcome } from './client-outcome.js';
import { ensureFinalizer } from './ensure-finalizer.js';
import { finalizeTenant } from './finalize-tenant.js';
import type { ReconcileContext, ReconcileResult } from './reconcile-context.js';
import { removeStaleClients } from './remove-stale-clients.js';
import { syncConfidentialClient } from './sync-confidential-client.js';
import { syncDashboards } from './sync-dashboards.js';
import { syncIdentityProviders } from './sync-identity-providers.js';
import { syncPublicClient } from './sync-public-client.js';
import { syncTenant } from './sync-tenant.js';
import { writeStatus } from './write-status.js';

/**
 * One level-triggered reconcile of an IdentityTenant: whatever event woke it, it reads the object
 * and the identity service as they are now and converges them, in this order —
 * 1. gone: nothing to do; being deleted: {@link finalizeTenant};
 * 2. finalizer first, before any external effect;
 * 3. tenant, 4. clients and their Secrets, 5. removed clients, 6. identity providers (read from
 *    their referenced Secrets; removed ones deleted), 7. dashboards;
 * 8. status, written only when it changed.
 * Failures propagate to the queue boundary, which reports them (conditions + Event) and backs off.
 */
export async function reconcileTenant(ctx: ReconcileContext, name: string): Promise<ReconcileResult> {
  const found = await ctx.kube.getTenant(name);
  if (found === undefined) return {};
  if (found.metadata.deletionTimestamp !== undefined) return finalizeTenant(ctx, found);
  const tenant = await ensureFinalizer(ctx, found);
  const now = ctx.now();

  const synced = await syncTenant(ctx, tenant);
  if (!synced.ok) {
    const unknown: PartOutcome = { status: 'Unknown', reason: synced.outcome.reason, message: 'Not reconciled: the tenant is in conflict.' };
    const parts = { TenantReady: synced.outcome, SecretsReady: unknown, ClientsReady: unknown, IdentityProvidersReady: unknown, DashboardsReady: unknown };
    await writeStatus(ctx, tenant, tenantStatus({ tenant, issuer: undefined, clients: [], parts, now }));
    return { retry: true };
  }
  const issuer = synced.resource.issuer;

  const outcomes: ClientOutcome[] = [];
  for (const client of tenant.spec.clients ?? []) {
    outcomes.push(client.type === 'Public' ? await syncPublicClient(ctx, tenant, client) : await syncConfidentialClient(ctx, tenant, client, issuer));
  }
  await removeStaleClients(ctx, tenant);
  const identityProviders = await syncIdentityProviders(ctx, tenant);
  const dashboards = await syncDashboards(ctx, tenant);

  const parts: Record<PartCondition, PartOutcome> = {
    TenantReady: synced.outcome,
    SecretsReady: partOf(outcomes, 'SecretsReady', 'Every confidential client has its Secret with a registered secret.'),
    ClientsReady: partOf(outcomes, 'ClientsReady', 'Every client is registered as declared.'),
    IdentityProvidersReady: identityProviders,
    DashboardsReady: dashboards,
  };
  const clients: IdentityTenantClientStatus[] = outcomes.map((o) => o.status);
  await writeStatus(ctx, tenant, tenantStatus({ tenant, issuer, clients, parts, now }));

  const wake = outcomes.map((o) => o.wakeAt?.getTime()).filter((t): t is number => t !== undefined);
  const converged = Object.values(parts).every((p) => p.status === 'True');
  return {
    ...(converged ? {} : { retry: true }),
    ...(wake.length === 0 ? {} : { requeueAfterMs: Math.max(0, Math.min(...wake) - ctx.now().getTime()) + 50 }),
  };
}

function partOf(outcomes: readonly ClientOutcome[], part: 'SecretsReady' | 'ClientsReady', okMessage: string): PartOutcome {
  const problems = outcomes.filter((o) => o.problem?.part === part).map((o) => o.problem!);
  if (problems.length === 0) return { status: 'True', reason: 'Synced', message: okMessage };
  return { status: 'False', reason: problems[0]!.reason, message: problems.map((p) => p.message).join(' ') };
}
