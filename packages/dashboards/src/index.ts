import { apiOverview } from './api-overview.js';
import { identityMonitor } from './identity-monitor.js';
import type { Dashboard } from './model.js';
import { operatorOverview } from './operator-overview.js';
import { workerOverview } from './worker-overview.js';

export { dashboardExpressions, resolveGrafanaVariables, type PanelExpression } from './expressions.js';
export type { Dashboard, Panel } from './model.js';
export { exploreLogsLink, type DataLink } from './log-links.js';
export { IDENTITY_MONITOR_CORE_PANELS, LOG_SERVICES } from './identity-monitor.js';
export { apiOverview, workerOverview, operatorOverview, identityMonitor };

/** Every cluster-wide dashboard, keyed by the component that owns it (Helm chart `lanyard-<key>`). */
export const dashboards: Readonly<Record<'api' | 'worker' | 'operator', Dashboard>> = {
  api: apiOverview,
  worker: workerOverview,
  operator: operatorOverview,
};

/**
 * The dashboards each Helm chart ships in its dashboard ConfigMap: the API chart carries the
 * Identity Monitor too (it reads the worker's queue metrics, which are simply empty without it).
 */
export const chartDashboards: Readonly<Record<'api' | 'worker' | 'operator', readonly Dashboard[]>> = {
  api: [apiOverview, identityMonitor],
  worker: [workerOverview],
  operator: [operatorOverview],
};

/** Every dashboard, once. */
export const allDashboards: readonly Dashboard[] = [apiOverview, identityMonitor, workerOverview, operatorOverview];

/** The JSON file Grafana provisioning loads for a dashboard: pretty-printed, newline-terminated. */
export const dashboardJson = (model: Dashboard): string => `${JSON.stringify(model, null, 2)}\n`;

/** grafana/dashboards_json/ as file name → contents. */
export function dashboardFiles(): Map<string, string> {
  return new Map(allDashboards.map((model) => [`${model.uid}.json`, dashboardJson(model)]));
}
