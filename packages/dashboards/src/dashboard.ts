import { prometheus } from './datasources.js';
import { layoutSections, type Section } from './layout.js';
import type { Dashboard } from './model.js';

/** What a dashboard is about; everything else (variables, layout, defaults) is shared. */
export interface DashboardSpec {
  /** Stable uid: links and the Grafana sidecar key dashboards by it. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly sections: readonly Section[];
  /** Adds a `$tenant` multi-select fed by identity_auth_events_total. @default false */
  readonly tenantVariable?: boolean;
  /** More template variables, after the data sources and `$tenant`. @default none */
  readonly variables?: readonly unknown[];
  /** Auto-refresh interval. @default '30s' */
  readonly refresh?: string;
  /** Default time range, back from now. @default 'now-1h' */
  readonly from?: string;
}

/** Grafana's dashboard JSON schema version these models are written for (Grafana 10/11). */
const SCHEMA_VERSION = 39;

const datasourceVariable = (name: string, label: string, type: string) => ({
  name,
  label,
  type: 'datasource',
  query: type,
  refresh: 1,
  hide: 0,
  options: [],
});

// `allValue: '.*'` turns "All" into a regex that also matches series without traffic yet.
const tenantVariable = {
  name: 'tenant',
  label: 'Tenant',
  type: 'query',
  datasource: prometheus,
  query: { query: 'label_values(identity_auth_events_total, tenant)', refId: 'tenant' },
  refresh: 2,
  sort: 1,
  multi: true,
  includeAll: true,
  allValue: '.*',
  options: [],
  hide: 0,
};

/**
 * A multi-select over fixed values (`custom` variable). `allValue` is the regex "All" stands for:
 * `.+` where the variable is the only thing selecting a Loki stream (Loki refuses a selector that
 * matches the empty label).
 */
export function customVariable(name: string, label: string, values: readonly string[], allValue: string, selected: readonly string[] = []) {
  const current =
    selected.length === 0
      ? { selected: true, text: ['All'], value: ['$__all'] }
      : { selected: true, text: [...selected], value: [...selected] };
  return {
    name,
    label,
    type: 'custom',
    query: values.join(','),
    multi: true,
    includeAll: true,
    allValue,
    current,
    options: [],
    hide: 0,
  };
}

/** A complete dashboard model; `version` stays 1 because provisioning, not the UI, owns it. */
export function dashboard(spec: DashboardSpec): Dashboard {
  const variables: unknown[] = [datasourceVariable('datasource', 'Prometheus', 'prometheus'), datasourceVariable('logs', 'Loki', 'loki')];
  if (spec.tenantVariable === true) variables.push(tenantVariable);
  variables.push(...(spec.variables ?? []));
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['lanyard'],
    timezone: 'browser',
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    editable: false,
    graphTooltip: 1,
    refresh: spec.refresh ?? '30s',
    time: { from: spec.from ?? 'now-1h', to: 'now' },
    templating: { list: variables },
    annotations: { list: [] },
    panels: layoutSections(spec.sections),
  };
}
