import type { DataSourceRef } from './model.js';

/**
 * Panels point at dashboard variables, not at fixed data source uids, so the same JSON works with
 * grafana/provisioning (uids `prometheus` / `loki`) and with any other Grafana, e.g. the one in
 * kube-prometheus-stack, where the user picks the data source from the drop-down.
 */
export const prometheus: DataSourceRef = { type: 'prometheus', uid: '${datasource}' };
export const loki: DataSourceRef = { type: 'loki', uid: '${logs}' };
