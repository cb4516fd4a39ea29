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
  | 'federation';

export type AuthResult = 'success' | 'failure';

/** The API's metrics, with exactly the names the dashboards and alerts use. */
export function createApiMetrics(registry: Registry, poolStats: () => { active: number; idle: number; waiting: number }) {
  const authEvents = new Counter({
    name: 'identity_auth_events_total',
    help: 'Authentication events by tenant, event, result and reason.',
    labelNames: ['tenant', 'event', 'result', 'reason'] as const,
    registers: [registry],
  });
  const tokenDuration = new Histogram({
    name: 'identity_token_duration_seconds',
    help: 'Time to answer a token request, by grant type.',
    labelNames: ['tenant', 'grant_type'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const rateLimited = new Counter({
    name: 'identity_rate_limited_requests_total',
    help: 'Requests refused by a rate limiter.',
    labelNames: ['tenant', 'limiter'] as const,
    registers: [registry],
  });
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
  return { authEvents, tokenDuration, rateLimited, httpDuration };
}

export type ApiMetrics = ReturnType<typeof createApiMetrics>;
