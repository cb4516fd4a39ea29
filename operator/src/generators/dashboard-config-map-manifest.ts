import type { V1ConfigMap, V1OwnerReference } from '@kubernetes/client-node';
import { managedLabels } from './managed-labels.js';
import { tenantDashboard } from './tenant-dashboard.js';
import { ANNOTATIONS, DASHBOARD_FOLDER, LABELS } from './well-known-names.js';

/** Name of a tenant's dashboard ConfigMap. */
export const dashboardConfigMapName = (tenantName: string) => `lanyard-tenant-${tenantName}-dashboard`;

/** Data key of the dashboard JSON inside the ConfigMap. */
export const dashboardDataKey = (tenantName: string) => `lanyard-tenant-${tenantName}.json`;

/**
 * The dashboard ConfigMap for the Grafana sidecar: label `grafana_dashboard: "1"`, annotation
 * `grafana_folder` (docs/reference/identity-tenant.md "Dashboard ConfigMaps").
 */
export function dashboardConfigMapManifest(tenantName: string, namespace: string, owner: V1OwnerReference | undefined): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: dashboardConfigMapName(tenantName),
      namespace,
      labels: { ...managedLabels(tenantName, 'dashboard'), [LABELS.grafanaDashboard]: '1' },
      annotations: { [ANNOTATIONS.grafanaFolder]: DASHBOARD_FOLDER },
      ...(owner === undefined ? {} : { ownerReferences: [owner] }),
    },
    data: { [dashboardDataKey(tenantName)]: `${JSON.stringify(tenantDashboard(tenantName), null, 2)}\n` },
  };
}
