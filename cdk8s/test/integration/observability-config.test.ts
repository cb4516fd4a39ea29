import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@lanyard/logger';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { devPromtailConfig } from '../../src/dev/dev-configs.js';
import { mustRun, repoRoot, systemTool, tempDir } from '../support/tools.js';

const promtool = () => systemTool('promtool', 'apt-get install prometheus');
const readYaml = (path: string) => parse(readFileSync(join(repoRoot, path), 'utf8')) as Record<string, unknown>;

describe('prometheus/ (checked by the real promtool)', () => {
  it('prometheus.yml is a valid configuration and loads alerts.yml', () => {
    const output = mustRun(promtool(), ['check', 'config', 'prometheus.yml'], { cwd: join(repoRoot, 'prometheus') });
    expect(output).toMatch(/SUCCESS: 1 rule files found/);
  });

  it('scrapes the API on its metrics port 9464 (not the public 8000), the worker on 5555 and the operator on 8081', () => {
    const config = readYaml('prometheus/prometheus.yml') as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    const targets = Object.fromEntries(config.scrape_configs.map((s) => [s.job_name, s.static_configs.flatMap((c) => c.targets)]));
    expect(targets).toMatchObject({ api: ['api:9464'], worker: ['worker:5555'], operator: ['operator:8081'] });
  });

  it('alerts.yml passes `promtool check rules` with one alert per failure mode', () => {
    expect(mustRun(promtool(), ['check', 'rules', join(repoRoot, 'prometheus/alerts.yml')])).toMatch(/SUCCESS: 6 rules found/);
    const alerts = readYaml('prometheus/alerts.yml') as { groups: Array<{ name: string; rules: Array<{ alert: string }> }> };
    expect(alerts.groups.flatMap((g) => g.rules.map((r) => r.alert)).sort()).toEqual([
      'LanyardApiHigh5xxRatio',
      'LanyardAuthFailureSpike',
      'LanyardDbPoolSaturated',
      'LanyardOperatorReconcileErrors',
      'LanyardQueueBacklog',
      'LanyardTokenLatencyHigh',
    ]);
    // The charts ship one group each (PrometheusRule), named after the chart.
    expect(alerts.groups.map((g) => g.name)).toEqual(['lanyard-api', 'lanyard-worker', 'lanyard-operator']);
  });

  it('every alert fires on its failure and stays quiet otherwise (`promtool test rules`)', () => {
    expect(mustRun(promtool(), ['test', 'rules', 'alerts.test.yml'], { cwd: join(repoRoot, 'prometheus') })).toMatch(/SUCCESS/);
  });

  it('`promtool test rules` fails when an alert does not behave (the unit tests have teeth)', () => {
    const dir = tempDir('alerts');
    writeFileSync(join(dir, 'alerts.yml'), readFileSync(join(repoRoot, 'prometheus/alerts.yml'), 'utf8').replace('> 0.05', '> 0.9'));
    writeFileSync(join(dir, 'alerts.test.yml'), readFileSync(join(repoRoot, 'prometheus/alerts.test.yml'), 'utf8'));
    expect(() => mustRun(promtool(), ['test', 'rules', 'alerts.test.yml'], { cwd: dir })).toThrow(/LanyardApiHigh5xxRatio/);
  });
});

type Stage = Record<string, unknown>;
interface ScrapeConfig {
  relabel_configs?: Array<{ target_label?: string; action?: string }>;
  static_configs?: Array<{ labels?: Record<string, string> }>;
  pipeline_stages: Stage[];
}

/** The label rule of docs/reference/logs.md: streams are labelled by service and level, nothing else. */
function expectOnlyServiceAndLevel(scrape: ScrapeConfig): void {
  const relabelled = (scrape.relabel_configs ?? []).map((r) => r.target_label).filter((l): l is string => l !== undefined && !l.startsWith('__'));
  expect(relabelled.every((label) => label === 'service')).toBe(true);
  expect((scrape.static_configs ?? []).flatMap((c) => Object.keys(c.labels ?? {}))).toEqual([]);
  const labelStages = scrape.pipeline_stages.filter((s) => 'labels' in s).map((s) => Object.keys(s.labels as object).sort());
  expect(labelStages).toEqual([['level', 'service']]);
  expect(JSON.stringify(scrape)).not.toMatch(/reqId/);
}

describe('promtail-config.yaml', () => {
  const compose = readYaml('promtail-config.yaml') as { clients: Array<{ url: string }>; scrape_configs: ScrapeConfig[] };

  it('ships to Loki with labels service and level only (never reqId)', () => {
    expect(compose.clients.map((c) => c.url)).toEqual(['http://loki:3100/loki/api/v1/push']);
    for (const scrape of compose.scrape_configs) expectOnlyServiceAndLevel(scrape);
  });

  it('parses the JSON lines @lanyard/logger actually writes', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    createLogger({ service: 'api', level: 'info', destination: sink }).child({ reqId: 'req-1' }).warn({ tenant: 'acme' }, 'token refused');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    const json = compose.scrape_configs[0]?.pipeline_stages.find((s) => 'json' in s)?.json as { expressions: Record<string, string> };
    const extracted = Object.fromEntries(Object.entries(json.expressions).map(([name, field]) => [name, line[field]]));
    expect(extracted).toMatchObject({ service: 'api', level: 'warn' });
    expect(new Date(String(extracted.time)).toISOString()).toBe(extracted.time);
  });

  it('the kind variant discovers pods, unwraps CRI lines and keeps the same label rule', () => {
    const kube = parse(devPromtailConfig()) as { scrape_configs: ScrapeConfig[] };
    const [scrape] = kube.scrape_configs;
    expect(scrape?.pipeline_stages[0]).toEqual({ cri: {} });
    expect(scrape?.pipeline_stages.at(-1)).toEqual({ labeldrop: ['filename'] });
    expectOnlyServiceAndLevel(scrape as ScrapeConfig);
  });
});

describe('grafana/provisioning', () => {
  it('provisions Prometheus and Loki at their compose and dev-stack service names', () => {
    const { datasources } = readYaml('grafana/provisioning/datasources/datasources.yaml') as { datasources: Array<{ type: string; uid: string; url: string }> };
    expect(datasources.map((d) => [d.type, d.uid, d.url])).toEqual([
      ['prometheus', 'prometheus', 'http://prometheus:9090'],
      ['loki', 'loki', 'http://loki:3100'],
    ]);
  });

  it('loads the dashboards from where docker compose mounts grafana/dashboards_json', () => {
    const { providers } = readYaml('grafana/provisioning/dashboards/lanyard.yaml') as { providers: Array<{ options: { path: string } }> };
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`./grafana/dashboards_json:${providers[0]?.options.path}:ro`);
  });
});
