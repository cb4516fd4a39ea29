import { apiOverview } from './api-overview.js';
import type { Dashboard } from './model.js';
import { operatorOverview } from './operator-overview.js';
import { workerOverview } from './worker-overview.js';

export { dashboardExpressions, resolveGrafanaVariables, type PanelExpression } from './expressions.js';
export type { Dashboard, Panel } from './model.js';
export { apiOverview, workerOverview, operatorOverview };

/** Every cluster-wide dashboard, keyed by the component that owns it (Helm chart `lanyard-<key>`). */
export const dashboards: Readonly<Record<'api' | 'worker' | 'operator', Dashboard>> = {
  api: apiOverview,
  worker: workerOverview,
  operator: operatorOverview,
};

/** The JSON file Grafana provisioning loads for a dashboard: pretty-printed, newline-terminated. */
export const dashboardJson = (model: Dashboard): string => `${JSON.stringify(model, null, 2)}\n`;

/** grafana/dashboards_json/ as file name → contents. */
export function dashboardFiles(): Map<string, string> {
  return new Map(Object.values(dashboards).map((model) => [`${model.uid}.json`, dashboardJson(model)]));
}
