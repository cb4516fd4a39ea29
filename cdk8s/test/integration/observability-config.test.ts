import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '@lanyard/logger';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { devPrometheusConfig, devPromtailConfig } from '../../src/dev/dev-configs.js';
import { mustRun, repoRoot, systemTool, tempDir } from '../support/tools.js';

const promtool = () => systemTool('promtool', 'apt-get install prometheus');
const readYaml = (path: string) => parse(readFileSync(join(repoRoot, path), 'utf8')) as Record<string, unknown>;

describe('prometheus/ (checked by the real promtool)', () => {
  it('prometheus.yml is a valid configuration and loads alerts.yml', () => {
    const output = mustRun(promtool(), ['check', 'config', 'prometheus.yml'], { cwd: join(repoRoot, 'prometheus') });
    expect(output).toMatch(/SUCCESS: 1 rule files found/);
  });

  it('scrapes the API on its metrics port 9464 (not the public 8000) and the worker on 5555; the operator only in kind, where it runs', () => {
    const config = readYaml('prometheus/prometheus.yml') as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    const targets = Object.fromEntries(config.scrape_configs.map((s) => [s.job_name, s.static_configs.flatMap((c) => c.targets)]));
    expect(targets).toEqual({ api: ['api:9464'], worker: ['worker:5555'], prometheus: ['localhost:9090'] });
    const kind = parse(devPrometheusConfig()) as typeof config;
    expect(Object.fromEntries(kind.scrape_configs.map((s) => [s.job_name, s.static_configs.flatMap((c) => c.targets)]))).toMatchObject({ operator: ['lanyard-operator:8081'] });
  });

  it('alerts.yml passes `promtool check rules` with one alert per failure mode, down and absent for every component', () => {
    expect(mustRun(promtool(), ['check', 'rules', join(repoRoot, 'prometheus/alerts.yml')])).toMatch(/SUCCESS: 18 rules found/);
    const alerts = readYaml('prometheus/alerts.yml') as { groups: Array<{ name: string; rules: Array<{ alert: string }> }> };
    expect(alerts.groups.flatMap((g) => g.rules.map((r) => r.alert)).sort()).toEqual([
      'LanyardAccountLinkProbing',
      'LanyardApiDown',
      'LanyardApiHigh5xxRatio',
      'LanyardApiMetricsAbsent',
      'LanyardAuditBacklog',
      'LanyardAuditEventsDropped',
      'LanyardAuthFailureSpike',
      'LanyardDbPoolSaturated',
      'LanyardJobsFailing',
      'LanyardOperatorDown',
      'LanyardOperatorMetricsAbsent',
      'LanyardOperatorReconcileErrors',
      'LanyardQueueBacklog',
      'LanyardRateLimiterDegraded',
      'LanyardSignupSurge',
      'LanyardTokenLatencyHigh',
      'LanyardWorkerDown',
      'LanyardWorkerMetricsAbsent',
    ]);
    // The charts ship one group each (PrometheusRule), named after the chart.
    expect(alerts.groups.map((g) => g.name)).toEqual(['lanyard-api', 'lanyard-worker', 'lanyard-operator']);
  });

  it('every alert fires on its failure and stays quiet otherwise (`promtool test rules`)', () => {
    expect(mustRun(promtool(), ['test', 'rules', 'alerts.test.yml'], { cwd: join(repoRoot, 'prometheus') })).toMatch(/SUCCESS/);
    // Each alert has at least one test case that expects it to fire.
    const tests = readYaml('prometheus/alerts.test.yml') as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> };
    const fired = new Set(tests.tests.flatMap((t) => t.alert_rule_test.filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname)));
    const alerts = readYaml('prometheus/alerts.yml') as { groups: Array<{ rules: Array<{ alert: string }> }> };
    for (const { alert } of alerts.groups.flatMap((g) => g.rules)) expect(fired.has(alert), alert).toBe(true);
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

/**
 * The label rule of docs/reference/logs.md: streams are labelled by service and level (from the
 * line) and container (from discovery), nothing else.
 */
function expectOnlyServiceLevelAndContainer(scrape: ScrapeConfig): void {
  const relabelled = (scrape.relabel_configs ?? []).map((r) => r.target_label).filter((l): l is string => l !== undefined && !l.startsWith('__'));
  expect(relabelled.sort()).toEqual(['container', 'service']);
  expect((scrape.static_configs ?? []).flatMap((c) => Object.keys(c.labels ?? {}))).toEqual([]);
  const labelStages = scrape.pipeline_stages.filter((s) => 'labels' in s).map((s) => Object.keys(s.labels as object).sort());
  expect(labelStages).toEqual([['level', 'service']]);
  expect(JSON.stringify(scrape)).not.toMatch(/reqId/);
}

describe('promtail-config.yaml', () => {
  const compose = readYaml('promtail-config.yaml') as { clients: Array<{ url: string }>; scrape_configs: ScrapeConfig[] };

  it('ships to Loki with labels service, level and container only (never reqId)', () => {
    expect(compose.clients.map((c) => c.url)).toEqual(['http://loki:3100/loki/api/v1/push']);
    for (const scrape of compose.scrape_configs) expectOnlyServiceLevelAndContainer(scrape);
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
    expectOnlyServiceLevelAndContainer(scrape as ScrapeConfig);
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

  it('links a log line\'s reqId to every line of that request (a Loki derived field)', () => {
    const { datasources } = readYaml('grafana/provisioning/datasources/datasources.yaml') as {
      datasources: Array<{ type: string; jsonData?: { derivedFields?: Array<{ name: string; matcherRegex: string; datasourceUid: string; url: string }> } }>;
    };
    const [reqId, ...others] = datasources.find((d) => d.type === 'loki')?.jsonData?.derivedFields ?? [];
    expect(others).toEqual([]);
    expect(reqId).toMatchObject({ name: 'reqId', datasourceUid: 'loki' });
    // `$$` is a literal `$` in provisioning files (a single one would be read as an environment variable).
    expect(reqId?.url).toBe('{service=~".+"} | json | reqId="$${__value.raw}"');
    // The regex finds the id in a line exactly as @lanyard/logger writes it.
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    createLogger({ service: 'api', level: 'info', destination: sink }).child({ reqId: '7f0c2a1e-4b1d-4c3e-9a77-0d3c1b2a9e10' }).info({ tenant: 'acme' }, 'request completed');
    expect(new RegExp(reqId?.matcherRegex ?? '$^').exec(lines[0] ?? '')?.[1]).toBe('7f0c2a1e-4b1d-4c3e-9a77-0d3c1b2a9e10');
  });

  it('loads the dashboards from where docker compose mounts grafana/dashboards_json', () => {
    const { providers } = readYaml('grafana/provisioning/dashboards/lanyard.yaml') as { providers: Array<{ options: { path: string } }> };
    const compose = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8');
    expect(compose).toContain(`./grafana/dashboards_json:${providers[0]?.options.path}:ro`);
  });
});
