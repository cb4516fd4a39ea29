import { App } from 'cdk8s';
import { apiChart } from './charts/api-chart.js';
import { operatorChart } from './charts/operator-chart.js';
import { umbrellaChart } from './charts/umbrella-chart.js';
import { devStackChart } from './dev/dev-stack-chart.js';
import { workerChart } from './charts/worker-chart.js';
import { helmChartFiles } from './helm/helm-chart-files.js';
import type { HelmChart } from './helm/helm-chart.js';

/** Every Helm chart of the platform (and the kind dev stack), built in a fresh cdk8s App. */
export function buildCharts(app: App = new App()): HelmChart[] {
  return [apiChart(app), workerChart(app), operatorChart(app), umbrellaChart(app), devStackChart(app)];
}

/** The whole charts/ directory as relative path → contents, in a stable order. */
export function synthesizeCharts(): Map<string, string> {
  const files = new Map<string, string>();
  for (const chart of buildCharts()) {
    for (const [path, contents] of helmChartFiles(chart)) files.set(`${chart.props.name}/${path}`, contents);
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
