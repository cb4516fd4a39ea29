import { customVariable, dashboard } from './dashboard.js';
import { exploreLogsLink, serviceLogs } from './log-links.js';
import { logs, stat, timeseries, withLinks } from './panels.js';
import { histogramQuantile, sumGauge, sumRate } from './promql.js';

const AUTH = 'identity_auth_events_total';
const TOKEN = 'identity_token_duration_seconds';
const RATE_LIMITED = 'identity_rate_limited_requests_total';
const TENANT = 'tenant=~"$tenant"';
// Histograms carry tenant="" (no label) with METRICS_TENANT_HISTOGRAMS=false: the empty
// alternative keeps the latency panels filled, with every tenant's latency, in that mode.
const HISTOGRAM_TENANT = 'tenant=~"$tenant|"';
const QUANTILES = [0.5, 0.95, 0.99] as const;

/** The processes whose JSON lines Alloy (or Promtail) ships; `migrate` is the one-shot migration job. */
export const LOG_SERVICES = ['api', 'worker', 'operator', 'migrate'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;

const apiLogs = exploreLogsLink('Logs of the API for this tenant and time range', serviceLogs('api', 'variable'));
const seriesTenantLogs = exploreLogsLink("Logs of the API for this series' tenant and time range", serviceLogs('api', 'series'));
const queueLogs = exploreLogsLink('Logs of the worker for this queue and time range', '{service="worker"} | json | queue="${__field.labels.queue}"');

const latency = (title: string, description: string, grantMatcher: string) =>
  withLinks(
    timeseries(
      title,
      description,
      's',
      QUANTILES.map((q) => ({ expr: histogramQuantile(q, TOKEN, [], [grantMatcher, HISTOGRAM_TENANT]), legend: `p${Math.round(q * 100)}` })),
    ),
    [apiLogs],
  );

/**
 * What an SRE opens first: the live logs of the identity service, filtered by service (the
 * container that wrote them), level and tenant, above the signals that explain them — logins and
 * their failure reasons, token and refresh latency, rate limiting, the database pool against its
 * maximum, and the worker's queues. Every graph links a spike to the matching logs.
 */
export const identityMonitor = dashboard({
  uid: 'lanyard-identity',
  title: 'Lanyard / Identity Monitor',
  description:
    'Live logs of the Lanyard identity service by service, level and tenant, with logins and failure reasons, token and refresh latency, rate limiting, the database pool and the job queues.',
  tenantVariable: true,
  variables: [customVariable('service', 'Service', LOG_SERVICES, '.+', ['api', 'worker']), customVariable('level', 'Level', LOG_LEVELS, '.*')],
  refresh: '10s',
  from: 'now-30m',
  sections: [
    {
      title: 'At a glance',
      panels: [
        stat('Successful logins', 'Hosted sign-ins that succeeded, per second.', 'ops', { expr: sumRate(AUTH, [], ['event="login"', 'result="success"', TENANT]) }, undefined, 4),
        stat('Failed logins', 'Hosted sign-ins that failed (any reason, including a denied consent), per second.', 'ops', { expr: sumRate(AUTH, [], ['event="login"', 'result="failure"', TENANT]) }, 1, 4),
        stat('Token p99', 'p99 time to answer /oauth2/token, every grant type.', 's', { expr: histogramQuantile(0.99, TOKEN, [], [HISTOGRAM_TENANT]) }, 0.25, 4),
        stat('Rate-limited', 'Requests refused by a rate limiter, per second.', 'reqps', { expr: sumRate(RATE_LIMITED, [], [TENANT]) }, 1, 4),
        stat('Pods on fallback limits', 'API pods whose rate limiter cannot reach Redis and applies per-process limits (identity_rate_limiter_degraded).', 'short', { expr: sumGauge('identity_rate_limiter_degraded', []) }, 1, 4),
        stat('DB pool in use', 'Active connections as a share of the pool maximum (DATABASE_POOL_MAX), over all API pods.', 'percentunit', { expr: `${sumGauge('identity_db_pool_connections', [], ['state="active"'])} / ${sumGauge('identity_db_pool_max', [])}` }, 0.8, 4),
      ],
    },
    {
      title: 'Live logs',
      panels: [
        logs(
          'Live logs',
          'Log lines of the selected services (the container that wrote them), levels and tenants, newest first; refreshed every 10 s. Open a line for its fields: reqId links to every line of that request.',
          '{service=~"$service", level=~"$level"} | json | tenant=~"$tenant"',
          14,
        ),
      ],
    },
    {
      title: 'Logins',
      panels: [
        withLinks(
          timeseries('Login success and failure rate', 'Hosted sign-ins per second by outcome (a denied consent counts as a failure).', 'ops', [
            { expr: sumRate(AUTH, ['result'], ['event="login"', TENANT]), legend: '{{result}}' },
          ]),
          [apiLogs],
        ),
        withLinks(
          timeseries('Login failures by reason', 'Failed sign-ins per second by reason (invalid_credentials, user_disabled, rate_limited, access_denied, …).', 'ops', [
            { expr: sumRate(AUTH, ['tenant', 'reason'], ['event="login"', 'result="failure"', TENANT]), legend: '{{tenant}}: {{reason}}' },
          ]),
          [seriesTenantLogs],
        ),
      ],
    },
    {
      title: 'Tokens',
      panels: [
        withLinks(
          timeseries('Token and refresh failures by reason', 'Failed token requests per second: event token (every grant but refresh) or refresh, by reason.', 'ops', [
            { expr: sumRate(AUTH, ['tenant', 'event', 'reason'], ['event=~"token|refresh"', 'result="failure"', TENANT]), legend: '{{tenant}} {{event}}: {{reason}}' },
          ]),
          [seriesTenantLogs],
        ),
        withLinks(
          timeseries('Token grants by result', 'Token requests per second: event token (authorization_code, client_credentials) or refresh, by outcome.', 'ops', [
            { expr: sumRate(AUTH, ['event', 'result'], ['event=~"token|refresh"', TENANT]), legend: '{{event}} {{result}}' },
          ]),
          [apiLogs],
        ),
        latency('Token issuance latency (p50 / p95 / p99)', 'Time to answer /oauth2/token for every grant but refresh_token, failures included.', 'grant_type!="refresh_token"'),
        latency('Refresh latency (p50 / p95 / p99)', 'Time to answer /oauth2/token with grant_type=refresh_token, failures included.', 'grant_type="refresh_token"'),
      ],
    },
    {
      title: 'Rate limiting',
      panels: [
        withLinks(
          timeseries('Rate-limited requests', 'Requests refused by a rate limiter per second, by tenant and limiter (token: per client id; login: per account and per IP).', 'reqps', [
            { expr: sumRate(RATE_LIMITED, ['tenant', 'limiter'], [TENANT]), legend: '{{tenant}} {{limiter}}' },
          ]),
          [seriesTenantLogs],
        ),
        withLinks(
          timeseries('Rate limiter degraded', '1 while a pod cannot reach Redis and applies per-process fallback limits instead of the shared ones.', 'short', [
            { expr: sumGauge('identity_rate_limiter_degraded', ['instance']), legend: '{{instance}}' },
          ]),
          [exploreLogsLink('Rate limiter logs of the API in this time range', '{service="api"} |= "rate limits"')],
        ),
      ],
    },
    {
      title: 'Database pool',
      panels: [
        withLinks(
          timeseries('Connections against the pool maximum', 'Active and idle connections and waiting requests, summed over all API pods, against the sum of their pool maximums.', 'short', [
            { expr: sumGauge('identity_db_pool_connections', ['state']), legend: '{{state}}' },
            { expr: sumGauge('identity_db_pool_waiting_requests', []), legend: 'waiting' },
            { expr: sumGauge('identity_db_pool_max', []), legend: 'maximum' },
          ]),
          [exploreLogsLink('Warnings and errors of the API in this time range', '{service="api", level=~"warn|error|fatal"}')],
        ),
        timeseries('Pool use by pod', 'Active connections as a share of DATABASE_POOL_MAX, per API pod; sustained 100% with waiting requests means the pool is too small.', 'percentunit', [
          { expr: `${sumGauge('identity_db_pool_connections', ['instance'], ['state="active"'])} / ${sumGauge('identity_db_pool_max', ['instance'])}`, legend: '{{instance}}' },
        ]),
      ],
    },
    {
      title: 'Queues',
      panels: [
        withLinks(
          timeseries('Queue depth', 'Jobs waiting, active, delayed or paused per queue (e-mail, maintenance).', 'short', [
            { expr: sumGauge('identity_queue_jobs', ['queue', 'state'], ['state=~"waiting|active|delayed|prioritized|waiting-children|paused"']), legend: '{{queue}} {{state}}' },
          ]),
          [queueLogs],
        ),
        withLinks(
          timeseries('Job failures', 'Job attempts per second that failed for good (failure) or will be retried (retry), by queue and job name.', 'ops', [
            { expr: sumRate('identity_jobs_total', ['queue', 'name', 'result'], ['result=~"failure|retry"']), legend: '{{queue}}/{{name}} {{result}}' },
          ]),
          [queueLogs],
        ),
      ],
    },
  ],
});

/** Titles of the panels that must show data as soon as the API and worker have served traffic. */
export const IDENTITY_MONITOR_CORE_PANELS = [
  'Login success and failure rate',
  'Login failures by reason',
  'Token issuance latency (p50 / p95 / p99)',
  'Refresh latency (p50 / p95 / p99)',
  'Rate-limited requests',
  'Rate limiter degraded',
  'Connections against the pool maximum',
  'Queue depth',
  'Job failures',
] as const;
