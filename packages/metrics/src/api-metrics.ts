import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Fixed label values, so a bug cannot blow up cardinality (docs/reference/metrics.md). */
export type AuthEvent =
  | 'login'
  | 'signup'
  | 'token'
  | 'refresh'
  | 'logout'
  | 'password_reset'
  | 'email_verification'
  | 'mfa'
  | 'federation';

export type AuthResult = 'success' | 'failure';

/** What the database pool reports at scrape time. */
export type PoolStats = () => { active: number; idle: number; waiting: number };

export interface ApiMetricsOptions {
  /** DATABASE_POOL_MAX, exported as `identity_db_pool_max` so panels can draw the pool's ceiling. @default not exported */
  readonly poolMax?: number;
  /**
   * METRICS_TENANT_HISTOGRAMS. When false, histograms (`identity_token_duration_seconds`) record
   * every observation with `tenant=""`, which Prometheus stores as no tenant label at all: one set
   * of buckets per grant type instead of one per tenant and grant type. Counters keep `tenant`.
   * @default true
   */
  readonly tenantHistograms?: boolean;
}

type TokenLabels = 'tenant' | 'grant_type';

/**
 * `observe` and `startTimer` of a histogram with the `tenant` label blanked, so callers keep
 * passing the tenant and the metric keeps its name and label names whatever the setting.
 */
function blankTenant(histogram: Histogram<TokenLabels>): Histogram<TokenLabels> {
  const observe = histogram.observe.bind(histogram) as (labels: Partial<Record<TokenLabels, string>>, value: number) => void;
  const startTimer = histogram.startTimer.bind(histogram);
  histogram.observe = ((labels: Partial<Record<TokenLabels, string>> | number, value?: number) =>
    typeof labels === 'number' ? observe({ tenant: '' }, labels) : observe({ ...labels, tenant: '' }, value ?? 0)) as Histogram<TokenLabels>['observe'];
  histogram.startTimer = (labels) => startTimer({ ...labels, tenant: '' });
  return histogram;
}

/** The API's metrics, with exactly the names the dashboards and alerts use. */
export function createApiMetrics(registry: Registry, poolStats: PoolStats, options: ApiMetricsOptions = {}) {
  const authEvents = new Counter({
    name: 'identity_auth_events_total',
    help: 'Authentication events by tenant, event, result and reason.',
    labelNames: ['tenant', 'event', 'result', 'reason'] as const,
    registers: [registry],
  });
  const tokenHistogram = new Histogram({
    name: 'identity_token_duration_seconds',
    help: 'Time to answer a token request, by grant type.',
    labelNames: ['tenant', 'grant_type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const tokenDuration = options.tenantHistograms === false ? blankTenant(tokenHistogram) : tokenHistogram;
  const rateLimited = new Counter({
    name: 'identity_rate_limited_requests_total',
    help: 'Requests refused by a rate limiter.',
    labelNames: ['tenant', 'limiter'] as const,
    registers: [registry],
  });
  const rateLimiterDegraded = new Gauge({
    name: 'identity_rate_limiter_degraded',
    help: '1 while Redis is unreachable and the per-process fallback limits apply, else 0.',
    registers: [registry],
  });
  rateLimiterDegraded.set(0);
  // The audit trail's durability (services/api/src/domain/audit/audit-log.ts): events waiting in
  // memory for the database, events kept in the local spool file, and events lost for good.
  const auditBuffered = new Gauge({
    name: 'identity_audit_events_buffered',
    help: 'Audit events held in memory until the database accepts them.',
    registers: [registry],
  });
  const auditSpooled = new Gauge({
    name: 'identity_audit_events_spooled',
    help: 'Audit events kept in the local spool file until the database accepts them.',
    registers: [registry],
  });
  const auditDropped = new Counter({
    name: 'identity_audit_events_dropped_total',
    help: 'Audit events lost because neither the database nor the spool file took them.',
    registers: [registry],
  });
  auditBuffered.set(0);
  auditSpooled.set(0);
  const httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'HTTP request duration by route pattern.',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  new Gauge({
    name: 'identity_db_pool_connections',
    help: 'Database pool connections by state.',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const stats = poolStats();
      this.set({ state: 'active' }, stats.active);
      this.set({ state: 'idle' }, stats.idle);
    },
  });
  new Gauge({
    name: 'identity_db_pool_waiting_requests',
    help: 'Requests waiting for a database connection.',
    registers: [registry],
    collect() {
      this.set(poolStats().waiting);
    },
  });
  if (options.poolMax !== undefined) {
    new Gauge({
      name: 'identity_db_pool_max',
      help: 'Most connections the database pool opens (DATABASE_POOL_MAX).',
      registers: [registry],
    }).set(options.poolMax);
  }
  return { authEvents, tokenDuration, rateLimited, rateLimiterDegraded, httpDuration, auditBuffered, auditSpooled, auditDropped };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
