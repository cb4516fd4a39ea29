import type { KubernetesObject } from '@kubernetes/client-node';
import { CLEANUP_FINALIZER, type IdentityTenant } from '@lanyard/crd';
import { dashboardDataKey } from '../generators/dashboard-config-map-manifest.js';
import { dashboardFields, SECRET_FIELDS } from '../generators/managed-fields.js';
import { orphanManifest } from '../generators/orphan-manifest.js';
import { ownsObject } from '../generators/owns-object.js';
import { MANAGER_NAME } from '../generators/well-known-names.js';
import type { ReconcileContext, ReconcileResult } from './reconcile-context.js';

/**
 * Runs while the IdentityTenant is being deleted and the finalizer is still there.
 * - Delete: the tenant goes from the identity service (with every client and user in it), then the
 *   owned Secrets and ConfigMaps are deleted explicitly — not left to the garbage collector, so the
 *   credentials are gone when the finalizer is;
 * - Orphan: nothing changes in the identity service; the owned objects lose their controller
 *   reference, so the garbage collector leaves them and the credentials keep working;
 * - then the finalizer is removed. A failure (identity service down) keeps the finalizer, and the
 *   deletion is retried with backoff.
 */
export async function finalizeTenant(ctx: ReconcileContext, tenant: IdentityTenant): Promise<ReconcileResult> {
  if (!tenant.metadata.finalizers?.includes(CLEANUP_FINALIZER)) return {};
  const name = tenant.metadata.name;
  const policy = tenant.spec.deletionPolicy ?? 'Delete';
  const secrets = (await ctx.kube.listOwnedSecrets(name)).filter((s) => ownsObject(s, tenant));
  const configMaps = (await ctx.kube.listOwnedConfigMaps(name)).filter((c) => ownsObject(c, tenant));

  if (policy === 'Delete') {
    const actual = await ctx.identity.getTenant(name);
    // Never delete a tenant someone else manages (it was a TenantConflict all along).
    if (actual !== undefined && actual.managedBy === MANAGER_NAME) await ctx.identity.deleteTenant(name);
    for (const object of [...secrets, ...configMaps] as KubernetesObject[]) await ctx.kube.delete(object);
  } else {
    for (const secret of secrets) await ctx.kube.apply(orphanManifest(secret, SECRET_FIELDS));
    for (const configMap of configMaps) await ctx.kube.apply(orphanManifest(configMap, dashboardFields(dashboardDataKey(name))));
  }
  await ctx.kube.applyTenantFinalizers(tenant, []);
  ctx.log.info({ tenant: name, deletionPolicy: policy, secrets: secrets.length, configMaps: configMaps.length }, 'tenant finalized');
  return {};
}
