import type { Dashboard, Panel } from './model.js';

/** One query of one panel, for checks that parse or evaluate it. */
export interface PanelExpression {
  readonly dashboard: string;
  readonly panel: string;
  readonly language: 'promql' | 'logql';
  readonly expr: string;
}

const flatten = (panels: readonly Panel[]): Panel[] => panels.flatMap((panel) => [panel, ...flatten(panel.panels ?? [])]);

/** Every query in a dashboard, tagged with its query language. */
export function dashboardExpressions(model: Dashboard): PanelExpression[] {
  return flatten(model.panels).flatMap((panel) =>
    (panel.targets ?? []).map((target) => ({
      dashboard: model.uid,
      panel: panel.title,
      language: target.datasource.type === 'loki' ? ('logql' as const) : ('promql' as const),
      expr: target.expr,
    })),
  );
}

/**
 * Replaces Grafana's template variables with values a plain Prometheus accepts, so a query can be
 * parsed (promtool) or evaluated outside Grafana.
 */
export function resolveGrafanaVariables(expr: string): string {
  return expr.replaceAll('$__rate_interval', '5m').replaceAll('$tenant', '.*');
}
