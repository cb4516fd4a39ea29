import { createHash } from 'node:crypto';

/** A Grafana dashboard model (schemaVersion 39), JSON-compatible. */
export interface GrafanaDashboard {
  readonly uid: string;
  readonly title: string;
  readonly [key: string]: unknown;
}

const ds = { type: 'prometheus', uid: '${datasource}' };

const panel = (id: number, title: string, gridPos: { x: number; y: number; w: number; h: number }, unit: string, targets: Array<{ expr: string; legendFormat: string }>) => ({
  id,
  type: 'timeseries',
  title,
  datasource: ds,
  gridPos,
  fieldConfig: { defaults: { unit }, overrides: [] },
  options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
  targets: targets.map((t, i) => ({ refId: String.fromCharCode(65 + i), datasource: ds, expr: t.expr, legendFormat: t.legendFormat })),
});

/** Grafana uids are at most 40 characters; long tenant names keep a readable prefix plus a hash. */
function dashboardUid(tenant: string): string {
  const uid = `lanyard-${tenant}`;
  if (uid.length <= 40) return uid;
  return `lanyard-${tenant.slice(0, 23)}-${createHash('sha256').update(tenant).digest('hex').slice(0, 8)}`;
}

/**
 * A per-tenant dashboard on the contract metrics (docs/reference/metrics.md), every query filtered to
 * `tenant="<name>"`: sign-in and token outcomes, failure reasons, token and refresh latency, rate
 * limiting. Tenant names are DNS labels, so they need no escaping inside the PromQL string.
 */
export function tenantDashboard(tenant: string): GrafanaDashboard {
  const t = `tenant="${tenant}"`;
  return {
    uid: dashboardUid(tenant),
    title: `Lanyard tenant ${tenant}`,
    tags: ['lanyard', 'tenant'],
    editable: false,
    schemaVersion: 39,
    time: { from: 'now-6h', to: 'now' },
    refresh: '1m',
    templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus', label: 'Data source' }] },
    panels: [
      panel(1, 'Auth events by result', { x: 0, y: 0, w: 12, h: 8 }, 'reqps', [
        { expr: `sum by (event, result) (rate(identity_auth_events_total{${t}}[5m]))`, legendFormat: '{{event}} {{result}}' },
      ]),
      panel(2, 'Failures by reason', { x: 12, y: 0, w: 12, h: 8 }, 'reqps', [
        { expr: `sum by (event, reason) (rate(identity_auth_events_total{${t}, result="failure"}[5m]))`, legendFormat: '{{event}} {{reason}}' },
      ]),
      panel(3, 'Token latency p95 by grant type', { x: 0, y: 8, w: 12, h: 8 }, 's', [
        { expr: `histogram_quantile(0.95, sum by (le, grant_type) (rate(identity_token_duration_seconds_bucket{${t}}[5m])))`, legendFormat: '{{grant_type}}' },
      ]),
      panel(4, 'Token refresh latency', { x: 12, y: 8, w: 12, h: 8 }, 's', [
        { expr: `histogram_quantile(0.5, sum by (le) (rate(identity_token_duration_seconds_bucket{${t}, grant_type="refresh_token"}[5m])))`, legendFormat: 'p50' },
        { expr: `histogram_quantile(0.99, sum by (le) (rate(identity_token_duration_seconds_bucket{${t}, grant_type="refresh_token"}[5m])))`, legendFormat: 'p99' },
      ]),
      panel(5, 'Rate-limited requests', { x: 0, y: 16, w: 24, h: 6 }, 'reqps', [
        { expr: `sum by (limiter) (rate(identity_rate_limited_requests_total{${t}}[5m]))`, legendFormat: '{{limiter}}' },
      ]),
    ],
  };
}
