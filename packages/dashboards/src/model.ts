/**
 * The slice of Grafana's dashboard JSON model (schemaVersion 39) that these dashboards use. Typed
 * here rather than imported so the package has no dependencies; see
 * https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */

/** Grafana resolves `${datasource}` / `${logs}` to the data source picked in the dashboard's variables. */
export interface DataSourceRef {
  readonly type: 'prometheus' | 'loki';
  readonly uid: string;
}

export interface Target {
  readonly refId: string;
  readonly datasource: DataSourceRef;
  readonly expr: string;
  readonly legendFormat?: string;
}

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Panel {
  readonly id: number;
  readonly type: 'timeseries' | 'stat' | 'logs' | 'row';
  readonly title: string;
  readonly description?: string;
  readonly gridPos: GridPos;
  readonly datasource?: DataSourceRef;
  readonly targets?: readonly Target[];
  readonly fieldConfig?: { readonly defaults: Record<string, unknown>; readonly overrides: readonly unknown[] };
  readonly options?: Record<string, unknown>;
  readonly collapsed?: boolean;
  readonly panels?: readonly Panel[];
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timezone: 'browser';
  readonly schemaVersion: number;
  readonly version: number;
  readonly editable: boolean;
  readonly graphTooltip: number;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly unknown[] };
  readonly annotations: { readonly list: readonly unknown[] };
  readonly panels: readonly Panel[];
}
