import { loki, prometheus } from './datasources.js';
import type { DataLink } from './log-links.js';
import type { Panel, Target } from './model.js';

/** One line on a graph: a PromQL (or LogQL, for logs panels) expression and its legend. */
export interface Query {
  readonly expr: string;
  readonly legend?: string;
}

/** A panel before layout: {@link layoutSections} assigns `id` and `gridPos`. */
export type PanelSpec = Omit<Panel, 'id' | 'gridPos'> & {
  /** Grid columns out of 24. @default 12 */
  readonly width?: number;
  /** Grid rows. @default 8 */
  readonly height?: number;
};

const targets = (queries: readonly Query[], datasource = prometheus): Target[] =>
  queries.map((query, index) => ({
    refId: String.fromCharCode(65 + index),
    datasource,
    expr: query.expr,
    ...(query.legend === undefined ? {} : { legendFormat: query.legend }),
  }));

/** A time series graph; `unit` is a Grafana unit id (reqps, s, percentunit, short, ops). */
export function timeseries(title: string, description: string, unit: string, queries: readonly Query[], width?: number): PanelSpec {
  return {
    type: 'timeseries',
    title,
    description,
    datasource: prometheus,
    targets: targets(queries),
    fieldConfig: { defaults: { unit, min: 0, custom: { fillOpacity: 10, showPoints: 'never' } }, overrides: [] },
    options: { legend: { displayMode: 'table', placement: 'bottom', calcs: ['mean', 'max', 'lastNotNull'] }, tooltip: { mode: 'multi', sort: 'desc' } },
    ...(width === undefined ? {} : { width }),
  };
}

/** A single big number (the last value); red from `warnAt` on when given. */
export function stat(title: string, description: string, unit: string, query: Query, warnAt?: number, width = 6): PanelSpec {
  const steps: unknown[] = [{ color: 'green', value: null }];
  if (warnAt !== undefined) steps.push({ color: 'red', value: warnAt });
  return {
    type: 'stat',
    title,
    description,
    datasource: prometheus,
    targets: targets([query]),
    fieldConfig: {
      defaults: {
        unit,
        thresholds: { mode: 'absolute', steps },
      },
      overrides: [],
    },
    options: { reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false }, colorMode: 'background', graphMode: 'area' },
    width,
  };
}

/**
 * Data links on every series of a panel: clicking a point offers them (e.g. the matching logs, see
 * {@link exploreLogsLink}).
 */
export function withLinks(panel: PanelSpec, links: readonly DataLink[]): PanelSpec {
  const fieldConfig = panel.fieldConfig ?? { defaults: {}, overrides: [] };
  return { ...panel, fieldConfig: { ...fieldConfig, defaults: { ...fieldConfig.defaults, links } } };
}

/** Log lines from Loki (stream labels `service`, `level` and `container` only, see alloy-config.alloy). */
export function logs(title: string, description: string, expr: string, height?: number): PanelSpec {
  return {
    type: 'logs',
    title,
    description,
    datasource: loki,
    targets: targets([{ expr }], loki),
    options: { showTime: true, showLabels: false, showCommonLabels: false, wrapLogMessage: true, prettifyLogMessage: false, sortOrder: 'Descending', dedupStrategy: 'none', enableLogDetails: true },
    width: 24,
    ...(height === undefined ? {} : { height }),
  };
}
