import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { Manifest } from './manifests.js';
import { helmBinary, mustRun, repoRoot, tempDir } from './tools.js';

/** The charts in charts/, as the tests install them. */
export const WORKLOAD_CHARTS = ['lanyard-api', 'lanyard-worker', 'lanyard-operator'] as const;
export const ALL_CHARTS = [...WORKLOAD_CHARTS, 'lanyard', 'lanyard-dev'] as const;
export type ChartName = (typeof ALL_CHARTS)[number];

/**
 * A private copy of charts/ with the umbrella's dependencies built (`helm dependency build` writes
 * charts/lanyard/charts/*.tgz and Chart.lock, which must not land in the work tree).
 */
export function prepareCharts(): string {
  const dir = tempDir('charts');
  cpSync(join(repoRoot, 'charts'), dir, { recursive: true });
  mustRun(helmBinary(), ['dependency', 'build', join(dir, 'lanyard')]);
  return dir;
}

/** Values that switch on every optional resource, as `--set` arguments for one chart. */
export function everythingOn(chart: ChartName): string[] {
  const monitoring = ['serviceMonitor.enabled=true', 'prometheusRule.enabled=true', 'dashboards.enabled=true'];
  const api = ['ingress.enabled=true', 'ingress.className=nginx', 'ingress.tls.enabled=true', 'autoscaling.enabled=false', 'replicaCount=3', ...monitoring];
  switch (chart) {
    case 'lanyard-api':
      return api;
    case 'lanyard-worker':
    case 'lanyard-operator':
      return monitoring;
    case 'lanyard':
      return [...api.map((s) => `lanyard-api.${s}`), ...monitoring.flatMap((s) => [`lanyard-worker.${s}`, `lanyard-operator.${s}`])];
    case 'lanyard-dev':
      return ['images.redis=redis:7.4-alpine', 'images.postgres=postgres:16.6-alpine'];
  }
}

/** `helm template` of a chart in `dir` (release `lanyard`, namespace `lanyard`), as YAML text. */
export const renderChartText = (dir: string, chart: ChartName, args: readonly string[] = []): string =>
  mustRun(helmBinary(), ['template', 'lanyard', join(dir, chart), '--namespace', 'lanyard', ...args]);

/** {@link renderChartText} as parsed manifests (YAML 1.1, as Kubernetes reads it; empty documents dropped). */
export function renderChart(dir: string, chart: ChartName, args: readonly string[] = []): Manifest[] {
  return parseAllDocuments(renderChartText(dir, chart, args), { version: '1.1' })
    .map((doc) => doc.toJS() as Manifest | null)
    .filter((doc): doc is Manifest => doc !== null);
}

/** `--set a=b` pairs as helm arguments. */
export const setArgs = (pairs: readonly string[]): string[] => pairs.flatMap((pair) => ['--set', pair]);
