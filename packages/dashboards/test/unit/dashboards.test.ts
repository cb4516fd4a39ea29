import { describe, expect, it } from 'vitest';
import { type Panel, dashboardExpressions, dashboardFiles, dashboards } from '../../src/index.js';

/** docs/reference/metrics.md: the only names a dashboard may query. */
const DESIGN_METRICS = {
  api: [
    'identity_auth_events_total',
    'identity_token_duration_seconds',
    'identity_db_pool_connections',
    'identity_db_pool_waiting_requests',
    'identity_rate_limited_requests_total',
    'http_server_request_duration_seconds',
  ],
  worker: ['identity_jobs_total', 'identity_job_duration_seconds', 'identity_queue_jobs'],
  operator: ['identity_operator_reconcile_total', 'identity_operator_reconcile_duration_seconds', 'identity_operator_tenants'],
} as const;

/** Metric names in a PromQL expression (histogram suffixes folded into the base name). */
const metricsIn = (expr: string): string[] =>
  [...expr.matchAll(/\b((?:identity|http)_[a-z_]+)/g)].map((m) => (m[1] as string).replace(/_(bucket|count|sum)$/, ''));

const flatten = (panels: readonly Panel[]): Panel[] => panels.flatMap((p) => [p, ...flatten(p.panels ?? [])]);

describe.each(Object.entries(dashboards))('%s dashboard', (component, model) => {
  const queries = dashboardExpressions(model);
  const promql = queries.filter((q) => q.language === 'promql');

  it('queries exactly the metrics docs/reference/metrics.md defines for its component', () => {
    const used = new Set(promql.flatMap((q) => metricsIn(q.expr)));
    expect([...used].sort()).toEqual([...DESIGN_METRICS[component as keyof typeof DESIGN_METRICS]].sort());
  });

  it('never groups by a label that identifies a user or a request', () => {
    for (const { expr } of queries) expect(expr).not.toMatch(/reqId|user|email|clientId|path\b/);
  });

  it('reads logs by the service and level labels only', () => {
    const logql = queries.filter((q) => q.language === 'logql');
    expect(logql.length).toBeGreaterThan(0);
    for (const { expr } of logql) {
      const labels = [...expr.matchAll(/([a-z_]+)=~?"/g)].map((m) => m[1]);
      expect(labels.every((l) => l === 'service' || l === 'level')).toBe(true);
    }
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
});

describe('dashboard files', () => {
  it('writes one file per dashboard named after its uid, with unique uids', () => {
    const files = dashboardFiles();
    expect([...files.keys()].sort()).toEqual(['lanyard-api.json', 'lanyard-operator.json', 'lanyard-worker.json']);
    for (const [name, json] of files) expect((JSON.parse(json) as { uid: string }).uid).toBe(name.replace(/\.json$/, ''));
  });

  it('covers the API overview the platform team asked for', () => {
    const titles = flatten(dashboards.api.panels).map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining(['Request rate by route', 'Latency by route (p50 / p99)', 'Auth events by result', 'Auth failures by reason', 'Token latency by grant type (p50 / p99)', 'Rate-limited requests', 'Pool connections']),
    );
  });
});
