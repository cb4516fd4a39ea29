import { dashboard } from './dashboard.js';
import { exploreLogsLink, serviceLogs } from './log-links.js';
import { logs, stat, timeseries, withLinks } from './panels.js';
import { histogramQuantile, rateRatio, sumGauge, sumRate } from './promql.js';

const HTTP = 'http_server_request_duration_seconds';
const AUTH = 'identity_auth_events_total';
const TOKEN = 'identity_token_duration_seconds';
const TENANT = 'tenant=~"$tenant"';
// With METRICS_TENANT_HISTOGRAMS=false histograms have no tenant: the empty alternative keeps them shown.
const HISTOGRAM_TENANT = 'tenant=~"$tenant|"';
const apiLogs = exploreLogsLink('Logs of the API for this tenant and time range', serviceLogs('api', 'variable'));
const routeLogs = exploreLogsLink('Logs of this route in this time range', '{service="api"} | json | route="${__field.labels.route}"');
const poolLogs = exploreLogsLink('Warnings and errors of the API in this time range', '{service="api", level=~"warn|error|fatal"}');

/** The API at a glance: traffic, errors and latency per route, authentication, rate limits, database pool. */
export const apiOverview = dashboard({
  uid: 'lanyard-api',
  title: 'Lanyard / API',
  description: 'HTTP traffic by route, authentication events, token latency, rate limiting and the database pool of the Lanyard API.',
  tenantVariable: true,
  sections: [
    {
      title: 'Golden signals',
      panels: [
        stat('Requests', 'All HTTP requests per second.', 'reqps', { expr: sumRate(`${HTTP}_count`, []) }),
        stat('5xx ratio', 'Share of requests answered with a 5xx status.', 'percentunit', { expr: rateRatio(`${HTTP}_count`, ['status_code=~"5.."']) }, 0.05),
        stat('Token p99', 'p99 latency of the token endpoint, all grant types.', 's', { expr: histogramQuantile(0.99, TOKEN, [], [HISTOGRAM_TENANT]) }, 0.25),
        stat('Waiting for a DB connection', 'Requests queued for a pool connection right now.', 'short', { expr: sumGauge('identity_db_pool_waiting_requests', []) }, 1),
      ],
    },
    {
      title: 'HTTP',
      panels: [
        withLinks(
          timeseries('Request rate by route', 'Requests per second by route pattern and status.', 'reqps', [
            { expr: sumRate(`${HTTP}_count`, ['route', 'status_code']), legend: '{{route}} {{status_code}}' },
          ]),
          [routeLogs],
        ),
        withLinks(
          timeseries('Latency by route (p50 / p99)', 'Server-side latency by route pattern.', 's', [
            { expr: histogramQuantile(0.5, HTTP, ['route']), legend: 'p50 {{route}}' },
            { expr: histogramQuantile(0.99, HTTP, ['route']), legend: 'p99 {{route}}' },
          ]),
          [routeLogs],
        ),
      ],
    },
    {
      title: 'Authentication',
      panels: [
        withLinks(
          timeseries('Auth events by result', 'Logins, sign-ups, token grants, refreshes… per second, by outcome.', 'ops', [
            { expr: sumRate(AUTH, ['event', 'result'], [TENANT]), legend: '{{event}} {{result}}' },
          ]),
          [apiLogs],
        ),
        withLinks(
          timeseries('Auth failures by reason', 'Failed authentication events per second, by reason.', 'ops', [
            { expr: sumRate(AUTH, ['event', 'reason'], [TENANT, 'result="failure"']), legend: '{{event}}: {{reason}}' },
          ]),
          [apiLogs],
        ),
        withLinks(
          timeseries('Token latency by grant type (p50 / p99)', 'Time to answer /oauth2/token; refresh is grant_type="refresh_token".', 's', [
            { expr: histogramQuantile(0.5, TOKEN, ['grant_type'], [HISTOGRAM_TENANT]), legend: 'p50 {{grant_type}}' },
            { expr: histogramQuantile(0.99, TOKEN, ['grant_type'], [HISTOGRAM_TENANT]), legend: 'p99 {{grant_type}}' },
          ]),
          [apiLogs],
        ),
        withLinks(
          timeseries('Rate-limited requests', 'Requests refused by a rate limiter, per second.', 'reqps', [
            { expr: sumRate('identity_rate_limited_requests_total', ['tenant', 'limiter'], [TENANT]), legend: '{{tenant}} {{limiter}}' },
          ]),
          [exploreLogsLink("Logs of the API for this series' tenant and time range", serviceLogs('api', 'series'))],
        ),
        timeseries('Rate limiter degraded', '1 while a pod cannot reach Redis and applies per-process fallback limits.', 'short', [
          { expr: sumGauge('identity_rate_limiter_degraded', ['instance']), legend: '{{instance}}' },
        ]),
      ],
    },
    {
      title: 'Database pool',
      panels: [
        withLinks(
          timeseries('Pool connections', 'Connections in use and idle, summed over all pods, against the sum of their pool maximums.', 'short', [
            { expr: sumGauge('identity_db_pool_connections', ['state']), legend: '{{state}}' },
            { expr: sumGauge('identity_db_pool_max', []), legend: 'maximum' },
          ]),
          [poolLogs],
        ),
        withLinks(
          timeseries('Waiting requests', 'Queries waiting for a free connection; sustained waiting means DATABASE_POOL_MAX is too small.', 'short', [
            { expr: sumGauge('identity_db_pool_waiting_requests', ['instance']), legend: '{{instance}}' },
          ]),
          [poolLogs],
        ),
      ],
    },
    {
      title: 'Logs',
      panels: [logs('API errors', 'Error and fatal log lines of the API (Loki).', '{service="api", level=~"error|fatal"}')],
    },
  ],
});
