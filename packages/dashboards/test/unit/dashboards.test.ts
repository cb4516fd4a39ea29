import { parser as logqlParser } from '@grafana/lezer-logql';
import { describe, expect, it } from 'vitest';
import { IDENTITY_MONITOR_CORE_PANELS, type Panel, allDashboards, chartDashboards, dashboardExpressions, dashboardFiles, dashboards, identityMonitor } from '../../src/index.js';

const API_METRICS = [
  'identity_auth_events_total',
  'identity_token_duration_seconds',
  'identity_db_pool_connections',
  'identity_db_pool_waiting_requests',
  'identity_db_pool_max',
  'identity_rate_limited_requests_total',
  'identity_rate_limiter_degraded',
  'http_server_request_duration_seconds',
];

/** docs/reference/metrics.md: the only names a dashboard may query. */
const DESIGN_METRICS = {
  api: API_METRICS,
  worker: ['identity_jobs_total', 'identity_job_duration_seconds', 'identity_queue_jobs'],
  operator: ['identity_operator_reconcile_total', 'identity_operator_reconcile_duration_seconds', 'identity_operator_tenants'],
  identity: [
    'identity_auth_events_total',
    'identity_token_duration_seconds',
    'identity_db_pool_connections',
    'identity_db_pool_waiting_requests',
    'identity_db_pool_max',
    'identity_rate_limited_requests_total',
    'identity_rate_limiter_degraded',
    'identity_jobs_total',
    'identity_queue_jobs',
  ],
} as const;

/** Metric names in a PromQL expression (histogram suffixes folded into the base name). */
const metricsIn = (expr: string): string[] =>
  [...expr.matchAll(/\b((?:identity|http)_[a-z_]+)/g)].map((m) => (m[1] as string).replace(/_(bucket|count|sum)$/, ''));

const flatten = (panels: readonly Panel[]): Panel[] => panels.flatMap((p) => [p, ...flatten(p.panels ?? [])]);

/** The stream selector of a LogQL query: the labels Loki indexes, as opposed to `| json` filters. */
const streamLabels = (logql: string): string[] => [...logql.slice(logql.indexOf('{'), logql.indexOf('}') + 1).matchAll(/([a-z_]+)\s*=~?"/g)].map((m) => m[1] as string);

interface LinkTarget {
  readonly title: string;
  readonly panel: string;
  readonly url: URL;
  readonly logql: string;
  readonly range: { from: string; to: string };
}

/** Every data link of a dashboard, with the LogQL and time range of the Explore pane it opens. */
function dataLinks(panels: readonly Panel[]): LinkTarget[] {
  return flatten(panels).flatMap((panel) =>
    ((panel.fieldConfig?.defaults.links ?? []) as Array<{ title: string; url: string }>).map((link) => {
      const url = new URL(link.url, 'http://grafana.test');
      const panes = JSON.parse(url.searchParams.get('panes') ?? '{}') as Record<string, { queries: Array<{ expr: string }>; range: { from: string; to: string } }>;
      const [pane] = Object.values(panes);
      return { title: link.title, panel: panel.title, url, logql: pane?.queries[0]?.expr ?? '', range: pane?.range ?? { from: '', to: '' } };
    }),
  );
}

/** Lezer's LogQL grammar (the one Grafana's query editor uses) marks what it cannot parse as error nodes. */
function logqlErrors(expr: string): string[] {
  const errors: string[] = [];
  logqlParser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) errors.push(`at ${node.from}: "${expr.slice(Math.max(0, node.from - 10), node.to + 10)}"`);
    },
  });
  return errors;
}

const byComponent = { ...dashboards, identity: identityMonitor };

describe.each(Object.entries(byComponent))('%s dashboard', (component, model) => {
  const queries = dashboardExpressions(model);
  const promql = queries.filter((q) => q.language === 'promql');
  const logql = [...queries.filter((q) => q.language === 'logql').map((q) => q.expr), ...dataLinks(model.panels).map((l) => l.logql)];

  it('queries exactly the metrics docs/reference/metrics.md defines for its component', () => {
    const used = new Set(promql.flatMap((q) => metricsIn(q.expr)));
    expect([...used].sort()).toEqual([...DESIGN_METRICS[component as keyof typeof DESIGN_METRICS]].sort());
  });

  it('never groups by a label that identifies a user or a request', () => {
    for (const { expr } of queries) expect(expr).not.toMatch(/reqId|user|email|clientId|path\b/);
  });

  it('selects log streams by the service, level and container labels only (the rest is filtered in the line)', () => {
    expect(logql.length).toBeGreaterThan(0);
    for (const expr of logql) {
      expect(streamLabels(expr).length, expr).toBeGreaterThan(0);
      expect(streamLabels(expr).every((l) => l === 'service' || l === 'level' || l === 'container'), expr).toBe(true);
    }
  });

  it('has only LogQL that parses (panels and data links), per the LogQL grammar Grafana uses', () => {
    for (const expr of logql) expect(logqlErrors(expr), expr).toEqual([]);
  });

  it('has unique panel ids and a layout inside the 24-column grid', () => {
    const panels = flatten(model.panels);
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    for (const { gridPos } of panels) expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
  });

  it('points every query at a data source variable, not a fixed uid', () => {
    for (const panel of flatten(model.panels)) {
      for (const target of panel.targets ?? []) expect(target.datasource.uid).toMatch(/^\$\{(datasource|logs)\}$/);
    }
  });

  it('links each graph to the logs of the same service for the dashboard time range', () => {
    const graphs = flatten(model.panels).filter((p) => p.type === 'timeseries');
    const linked = new Set(dataLinks(model.panels).map((l) => l.panel));
    expect(graphs.filter((p) => linked.has(p.title)).length).toBeGreaterThanOrEqual(Math.ceil(graphs.length / 2));
    for (const link of dataLinks(model.panels)) {
      expect(link.url.pathname).toBe('/explore');
      expect(link.range).toEqual({ from: '${__from}', to: '${__to}' });
      expect(link.url.searchParams.get('panes')).toContain('"uid":"${logs}"');
      expect(streamLabels(link.logql)).toContain('service');
    }
  });
});

describe('LogQL check', () => {
  it('reports a query the grammar cannot parse (it has teeth)', () => {
    expect(logqlErrors('{service="api" | json')).not.toEqual([]);
    expect(logqlErrors('{service="api"} | json | tenant=~"acme"')).toEqual([]);
  });
});

describe('Identity Monitor', () => {
  const panels = flatten(identityMonitor.panels);
  const variables = identityMonitor.templating.list as Array<{ name: string; type: string; allValue?: string }>;

  it('has the datasource, tenant and service variables, plus level and the Loki data source', () => {
    expect(variables.map((v) => v.name)).toEqual(['datasource', 'logs', 'tenant', 'service', 'level']);
    // "All" must still select a stream: Loki refuses {service=~".*"} as the only matcher.
    expect(variables.find((v) => v.name === 'service')?.allValue).toBe('.+');
  });

  it('puts the live logs of the selected services, levels and tenants right under the headline numbers', () => {
    const live = panels.find((p) => p.type === 'logs');
    expect(live?.title).toBe('Live logs');
    expect(live?.targets?.[0]?.expr).toBe('{service=~"$service", level=~"$level"} | json | tenant=~"$tenant"');
    expect(live?.gridPos).toMatchObject({ x: 0, w: 24, h: 14 });
    expect(panels.filter((p) => p.type !== 'row' && (p.gridPos.y < (live?.gridPos.y ?? 0))).every((p) => p.type === 'stat')).toBe(true);
    expect(identityMonitor.refresh).toBe('10s');
  });

  it('has every core panel the issue asks for', () => {
    expect(panels.map((p) => p.title)).toEqual(expect.arrayContaining([...IDENTITY_MONITOR_CORE_PANELS]));
    const exprs = (title: string) => panels.find((p) => p.title === title)?.targets?.map((t) => t.expr) ?? [];
    expect(exprs('Refresh latency (p50 / p95 / p99)').map((e) => e.slice(0, 24))).toEqual(['histogram_quantile(0.5, ', 'histogram_quantile(0.95,', 'histogram_quantile(0.99,']);
    expect(exprs('Refresh latency (p50 / p95 / p99)').every((e) => e.includes('grant_type="refresh_token"'))).toBe(true);
    expect(exprs('Connections against the pool maximum').join(' ')).toMatch(/identity_db_pool_max/);
    expect(exprs('Login failures by reason')[0]).toContain('by (tenant, reason)');
  });

  it('keeps latency panels filled when METRICS_TENANT_HISTOGRAMS=false (tenant="" matches too)', () => {
    const histograms = dashboardExpressions(identityMonitor).filter((q) => q.expr.includes('identity_token_duration_seconds_bucket'));
    expect(histograms.length).toBeGreaterThan(0);
    for (const { expr } of histograms) expect(expr).toContain('tenant=~"$tenant|"');
  });
});

describe('dashboard files', () => {
  it('writes one file per dashboard named after its uid, with unique uids', () => {
    const files = dashboardFiles();
    expect([...files.keys()].sort()).toEqual(['lanyard-api.json', 'lanyard-identity.json', 'lanyard-operator.json', 'lanyard-worker.json']);
    for (const [name, json] of files) expect((JSON.parse(json) as { uid: string }).uid).toBe(name.replace(/\.json$/, ''));
  });

  it('ships every dashboard in exactly one chart, the Identity Monitor with the API', () => {
    const shipped = Object.values(chartDashboards).flat();
    expect(shipped.map((d) => d.uid).sort()).toEqual(allDashboards.map((d) => d.uid).sort());
    expect(chartDashboards.api.map((d) => d.uid)).toEqual(['lanyard-api', 'lanyard-identity']);
  });

  it('covers the API overview the platform team asked for', () => {
    const titles = flatten(dashboards.api.panels).map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Request rate by route', 'Latency by route (p50 / p99)', 'Auth events by result', 'Auth failures by reason', 'Token latency by grant type (p50 / p99)', 'Rate-limited requests', 'Pool connections']),
    );
  });
});
