import { dashboard } from './dashboard.js';
import { exploreLogsLink } from './log-links.js';
import { logs, stat, timeseries, withLinks } from './panels.js';
import { histogramQuantile, sumGauge, sumRate } from './promql.js';

const operatorLogs = exploreLogsLink('Logs of the operator in this time range', '{service="operator"}');

/** The IdentityTenant operator: reconcile outcomes and latency, tenants by readiness. */
export const operatorOverview = dashboard({
  uid: 'lanyard-operator',
  title: 'Lanyard / Operator',
  description: 'Reconciles of IdentityTenant resources by the Lanyard operator and how many tenants are Ready.',
  sections: [
    {
      title: 'Tenants',
      panels: [
        stat('Ready tenants', 'IdentityTenants whose Ready condition is True.', 'short', { expr: sumGauge('identity_operator_tenants', [], ['ready="true"']) }),
        stat('Tenants not ready', 'IdentityTenants whose Ready condition is not True.', 'short', { expr: sumGauge('identity_operator_tenants', [], ['ready="false"']) }, 1),
      ],
    },
    {
      title: 'Reconciles',
      panels: [
        withLinks(
          timeseries('Reconciles by result', 'Reconciles per second by outcome.', 'ops', [{ expr: sumRate('identity_operator_reconcile_total', ['result']), legend: '{{result}}' }]),
          [operatorLogs],
        ),
        withLinks(
          timeseries('Reconcile duration (p50 / p99)', 'Time per reconcile, including calls to the admin API.', 's', [
            { expr: histogramQuantile(0.5, 'identity_operator_reconcile_duration_seconds', []), legend: 'p50' },
            { expr: histogramQuantile(0.99, 'identity_operator_reconcile_duration_seconds', []), legend: 'p99' },
          ]),
          [operatorLogs],
        ),
      ],
    },
    {
      title: 'Logs',
      panels: [logs('Operator errors', 'Error and fatal log lines of the operator (Loki).', '{service="operator", level=~"error|fatal"}')],
    },
  ],
});
