/** A Grafana data link: shown when a point of a panel is clicked. */
export interface DataLink {
  readonly title: string;
  readonly url: string;
  readonly targetBlank?: boolean;
}

/** Grafana variables (`${name}`, `${name:format}`) that must stay readable for Grafana to replace them. */
const ENCODED_VARIABLE = /%24%7B(.+?)%7D/g;

/**
 * A link from a point of a panel to Explore, showing the Loki lines of `logql` for the dashboard's
 * time range (`${__from}` to `${__to}`) in the Loki data source picked in `${logs}`. The query may
 * use `${__field.labels.<label>}` to follow the clicked series (its tenant, its queue) and
 * dashboard variables such as `${tenant:regex}`. The Explore state is URL-encoded JSON
 * (Grafana 10+ `panes`), with the variables left as they are so Grafana can substitute them.
 */
export function exploreLogsLink(title: string, logql: string): DataLink {
  const panes = {
    logs: {
      datasource: '${logs}',
      queries: [{ refId: 'A', expr: logql, queryType: 'range', datasource: { type: 'loki', uid: '${logs}' } }],
      range: { from: '${__from}', to: '${__to}' },
    },
  };
  const encoded = encodeURIComponent(JSON.stringify(panes)).replace(ENCODED_VARIABLE, (_match, inner: string) => `\${${decodeURIComponent(inner)}}`);
  return { title, url: `/explore?schemaVersion=1&orgId=1&panes=${encoded}`, targetBlank: true };
}

/** The LogQL of a link: the service's lines, narrowed to one tenant (or the dashboard's selection) by the line's own field. */
export function serviceLogs(service: string, tenant: 'series' | 'variable' | 'none' = 'variable'): string {
  const selector = `{service="${service}"}`;
  if (tenant === 'none') return selector;
  const value = tenant === 'series' ? '${__field.labels.tenant}' : '${tenant:regex}';
  return `${selector} | json | tenant=~"${value}"`;
}
