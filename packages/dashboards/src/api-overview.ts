import { dashboard } from './dashboard.js';
import { logs, stat, timeseries } from './panels.js';
import { histogramQuantile, rateRatio, sumGauge, sumRate } from './promql.js';

const HTTP = 'http_server_request_duration_seconds';
const AUTH = 'identity_auth_events_total';
const TOKEN = 'identity_token_duration_seconds';
const TENANT = 'tenant=~"$tenant"';

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
        stat('Token p99', 'p99 latency of the token endpoint, all grant types.', 's', { expr: histogramQuantile(0.99, TOKEN, [], [TENANT]) }, 0.25),
        stat('Waiting for a DB connection', 'Requests queued for a pool connection right now.', 'short', { expr: sumGauge('identity_db_pool_waiting_requests', []) }, 1),
      ],
    },
    {
      title: 'HTTP',
      panels: [
        timeseries('Request rate by route', 'Requests per second by route pattern and status.', 'reqps', [
          { expr: sumRate(`${HTTP}_count`, ['route', 'status_code']), legend: '{{route}} {{status_code}}' },
        ]),
        timeseries('Latency by route (p50 / p99)', 'Server-side latency by route pattern.', 's', [
          { expr: histogramQuantile(0.5, HTTP, ['route']), legend: 'p50 {{route}}' },
          { expr: histogramQuantile(0.99, HTTP, ['route']), legend: 'p99 {{route}}' },
        ]),
      ],
    },
    {
      title: 'Authentication',
      panels: [
        timeseries('Auth events by result', 'Logins, sign-ups, token grants, refreshes… per second, by outcome.', 'ops', [
          { expr: sumRate(AUTH, ['event', 'result'], [TENANT]), legend: '{{event}} {{result}}' },
        ]),
        timeseries('Auth failures by reason', 'Failed authentication events per second, by reason.', 'ops', [
          { expr: sumRate(AUTH, ['event', 'reason'], [TENANT, 'result="failure"']), legend: '{{event}}: {{reason}}' },
        ]),
        timeseries('Token latency by grant type (p50 / p99)', 'Time to answer /oauth2/token; refresh is grant_type="refresh_token".', 's', [
          { expr: histogramQuantile(0.5, TOKEN, ['grant_type'], [TENANT]), legend: 'p50 {{grant_type}}' },
          { expr: histogramQuantile(0.99, TOKEN, ['grant_type'], [TENANT]), legend: 'p99 {{grant_type}}' },
        ]),
        timeseries('Rate-limited requests', 'Requests refused by a rate limiter, per second.', 'reqps', [
          { expr: sumRate('identity_rate_limited_requests_total', ['tenant', 'limiter'], [TENANT]), legend: '{{tenant}} {{limiter}}' },
        ]),
      ],
    },
    {
      title: 'Database pool',
      panels: [
        timeseries('Pool connections', 'Connections in use and idle, summed over all pods.', 'short', [
          { expr: sumGauge('identity_db_pool_connections', ['state']), legend: '{{state}}' },
        ]),
        timeseries('Waiting requests', 'Queries waiting for a free connection; sustained waiting means DATABASE_POOL_MAX is too small.', 'short', [
          { expr: sumGauge('identity_db_pool_waiting_requests', ['instance']), legend: '{{instance}}' },
        ]),
      ],
    },
    {
      title: 'Logs',
      panels: [logs('API errors', 'Error and fatal log lines of the API (Loki).', '{service="api", level=~"error|fatal"}')],
    },
  ],
});
