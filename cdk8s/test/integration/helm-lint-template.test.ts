import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ALL_CHARTS, everythingOn, prepareCharts, renderChart, setArgs } from '../support/charts.js';
import { helmBinary, mustRun, PROVISION_TIMEOUT_MS } from '../support/tools.js';

// `helm lint` and `helm template` with the real helm v3 binary, for every chart, with the default
// values and with every optional resource switched on through `--set`.
describe('helm lint and helm template', () => {
  let dir: string;
  beforeAll(() => {
    dir = prepareCharts();
  }, PROVISION_TIMEOUT_MS);

  for (const chart of ALL_CHARTS) {
    it(`${chart}: lints strictly with default values`, () => {
      expect(mustRun(helmBinary(), ['lint', '--strict', join(dir, chart)])).toContain('0 chart(s) failed');
    });

    it(`${chart}: lints strictly and renders with overridden values`, () => {
      const overrides = setArgs(everythingOn(chart));
      expect(mustRun(helmBinary(), ['lint', '--strict', join(dir, chart), ...overrides])).toContain('0 chart(s) failed');
      expect(renderChart(dir, chart, overrides).length).toBeGreaterThan(0);
    });
  }

  it('renders the expected objects for each chart with default values', () => {
    const kinds = (chart: (typeof ALL_CHARTS)[number]) => renderChart(dir, chart).map((m) => `${m.kind}/${m.metadata.name}`).sort();
    expect(kinds('lanyard-api')).toEqual([
      'ConfigMap/lanyard-api-config',
      'Deployment/lanyard-api',
      'HorizontalPodAutoscaler/lanyard-api',
      'Job/lanyard-api-migrate',
      'PodDisruptionBudget/lanyard-api',
      'Service/lanyard-api',
      'ServiceAccount/lanyard-api',
    ]);
    expect(kinds('lanyard-worker')).toEqual(['ConfigMap/lanyard-worker-config', 'Deployment/lanyard-worker', 'Service/lanyard-worker', 'ServiceAccount/lanyard-worker']);
    expect(kinds('lanyard-operator')).toEqual([
      'ClusterRole/lanyard-operator-lanyard',
      'ClusterRoleBinding/lanyard-operator-lanyard',
      'ConfigMap/lanyard-operator-config',
      'Deployment/lanyard-operator',
      'Role/lanyard-operator-leader-election',
      'RoleBinding/lanyard-operator-leader-election',
      'Service/lanyard-operator',
      'ServiceAccount/lanyard-operator',
    ]);
    // The umbrella is exactly its three subcharts.
    expect(kinds('lanyard')).toEqual([...kinds('lanyard-api'), ...kinds('lanyard-worker'), ...kinds('lanyard-operator')].sort());
  });

  it('the umbrella leaves out a subchart switched off with <name>.enabled=false', () => {
    const names = renderChart(dir, 'lanyard', setArgs(['lanyard-worker.enabled=false'])).map((m) => m.metadata.name);
    expect(names).not.toContain('lanyard-worker');
    expect(names).toContain('lanyard-api');
  });
});
