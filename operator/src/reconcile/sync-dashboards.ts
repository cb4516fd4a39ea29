import type { IdentityTenant } from '@lanyard/crd';
import { dashboardConfigMapManifest, dashboardDataKey } from '../generators/dashboard-config-map-manifest.js';
import { dashboardFields } from '../generators/managed-fields.js';
import { needsApply } from '../generators/needs-apply.js';
import { ownerReference } from '../generators/owner-reference.js';
import { ownsObject } from '../generators/owns-object.js';
import type { PartOutcome } from '../generators/tenant-conditions.js';
import type { ReconcileContext } from './reconcile-context.js';

/**
 * The tenant's dashboard ConfigMap: applied when enabled and different, deleted where no longer
 * wanted (disabled, or the namespace changed). A foreign ConfigMap of the same name is left alone.
 */
export async function syncDashboards(ctx: ReconcileContext, tenant: IdentityTenant): Promise<PartOutcome> {
  const name = tenant.metadata.name;
  const enabled = tenant.spec.dashboards?.enabled ?? false;
  const namespace = tenant.spec.dashboards?.namespace ?? ctx.settings.dashboardsNamespace;
  const desired = dashboardConfigMapManifest(name, namespace, ownerReference(tenant));
  let outcome: PartOutcome = { status: 'True', reason: 'Disabled', message: 'Dashboards are disabled for this tenant.' };
  if (enabled) {
    const existing = await ctx.kube.getConfigMap(namespace, desired.metadata!.name!);
    if (existing !== undefined && !ownsObject(existing, tenant)) {
      return { status: 'False', reason: 'DashboardConflict', message: `ConfigMap ${namespace}/${desired.metadata!.name} exists and is not managed by lanyard-operator; it is left untouched.` };
    }
    if (needsApply(desired, existing, dashboardFields(dashboardDataKey(name)))) {
      ctx.log.info({ tenant: name, namespace }, 'applying dashboard');
      await ctx.kube.apply(desired);
    }
    outcome = { status: 'True', reason: 'Synced', message: `Dashboard ConfigMap ${namespace}/${desired.metadata!.name} is up to date.` };
  }
  for (const configMap of await ctx.kube.listOwnedConfigMaps(name)) {
    const wanted = enabled && configMap.metadata?.namespace === namespace && configMap.metadata?.name === desired.metadata!.name;
    if (!wanted && ownsObject(configMap, tenant)) await ctx.kube.delete(configMap);
  }
  return outcome;
}
