import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, freePort, spawnEntry, testEnvironment, testSecrets, uniqueRedisPrefix, type SpawnedProcess, type TestDatabase } from '@lanyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { IDENTITY_MONITOR_CORE_PANELS, allDashboards, dashboardExpressions, identityMonitor, resolveGrafanaVariables } from '../../src/index.js';
import { identityWorkload, type IdentityWorkload } from '../support/identity-workload.js';

// A real Prometheus (Debian's /usr/bin/prometheus) scrapes a real API and worker every second
// while a short workload runs; then every PromQL expression of every dashboard and every alert
// rule goes through Prometheus's HTTP API. Expressions that only parse (promtool) can still be
// wrong at run time (a vector on both sides of `/` with mismatched labels, a histogram without
// `le`); this is where that shows, and where "the panel shows data" is checked for real.

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const PROMETHEUS = process.env.PROMETHEUS_BINARY ?? '/usr/bin/prometheus';
const TOKEN_LIMIT = 8;

interface PromResult {
  metric: Record<string, string>;
  value: [number, string];
}
interface PromResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: PromResult[] };
}

let database: TestDatabase;
let api: SpawnedProcess;
let worker: SpawnedProcess;
let prometheus: ChildProcess;
let prometheusLog = '';
let prometheusUrl: string;
let dir: string;
let workload: IdentityWorkload;

async function query(expr: string): Promise<PromResponse> {
  const response = await fetch(`${prometheusUrl}/api/v1/query?${new URLSearchParams({ query: expr })}`);
  return (await response.json()) as PromResponse;
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await probe().catch(() => undefined);
    if (result !== undefined) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; Prometheus said:\n${prometheusLog.slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The first value of a query that returns at least one series, as a number. */
const scalar = async (expr: string): Promise<number | undefined> => {
  const result = await query(expr);
  const value = result.data?.result[0]?.value[1];
  return value === undefined ? undefined : Number(value);
};

beforeAll(async () => {
  database = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'lanyard-prometheus-'));
  const [apiPort, metricsPort, workerPort, prometheusPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
  const redisPrefix = uniqueRedisPrefix();
  const shared = {
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    REDIS_URL: testEnvironment.redisUrl,
    REDIS_KEY_PREFIX: redisPrefix,
    KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
    PUBLIC_URL: `http://127.0.0.1:${apiPort}`,
  };
  api = spawnEntry('services/api/src/server.ts', {
    ...shared,
    HOST: '127.0.0.1',
    PORT: String(apiPort),
    METRICS_PORT: String(metricsPort),
    SEED_DEMO: 'false',
    BOOTSTRAP_ADMIN_CLIENT_SECRET: testSecrets.bootstrapClientSecret,
    RATE_LIMIT_TOKEN_PER_MINUTE: String(TOKEN_LIMIT),
  });
  // Cleanup every 10 s (the minimum): a maintenance job runs while Prometheus watches.
  worker = spawnEntry('services/worker/src/server.ts', { ...shared, WORKER_HOST: '127.0.0.1', WORKER_PORT: String(workerPort), CLEANUP_INTERVAL_SECONDS: '10' });

  copyFileSync(join(repoRoot, 'prometheus/alerts.yml'), join(dir, 'alerts.yml'));
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'rule_files: [alerts.yml]',
      'scrape_configs:',
      `  - { job_name: api, static_configs: [{ targets: ['127.0.0.1:${metricsPort}'] }] }`,
      `  - { job_name: worker, static_configs: [{ targets: ['127.0.0.1:${workerPort}'] }] }`,
      '',
    ].join('\n'),
  );
  prometheus = spawn(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${prometheusPort}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  prometheus.stdout?.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
  prometheus.stderr?.on('data', (chunk: Buffer) => (prometheusLog += chunk.toString()));
  prometheusUrl = `http://127.0.0.1:${prometheusPort}`;

  await Promise.all([api.waitFor(`Server listening at http://127.0.0.1:${metricsPort}`, 60_000), worker.waitFor('Server listening', 60_000)]);
  await until('Prometheus to be ready', async () => ((await fetch(`${prometheusUrl}/-/ready`)).ok ? true : undefined));
  await until('both targets to be up', async () => ((await scalar('count(up == 1)')) === 2 ? true : undefined));

  workload = await identityWorkload(`http://127.0.0.1:${apiPort}`, { clientId: testSecrets.bootstrapClientId, secret: testSecrets.bootstrapClientSecret }).catch((error: Error) => {
    throw new Error(`${error.message}\nAPI log:\n${api.stdout().slice(-4000)}`);
  });
  // Round one creates the series; once Prometheus has scraped them, round two moves them, so
  // rates and quantiles have two samples to work with.
  await workload.round();
  await until('the first round to be scraped', async () => ((await scalar('sum(identity_token_duration_seconds_count{grant_type="refresh_token"})')) ?? 0) >= 3 || undefined);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  await workload.round();
  await workload.burst(TOKEN_LIMIT + 2);
  await until('the second round and the burst to be scraped', async () => ((await scalar('sum(identity_rate_limited_requests_total)')) ?? 0) > 0 || undefined);
  await until('a maintenance job to have run', async () => ((await scalar('sum(identity_jobs_total{result="success"})')) ?? 0) > 0 || undefined, 40_000);
  // A few more scrapes after the last change, so every rate window holds it.
  await new Promise((resolve) => setTimeout(resolve, 3_000));
}, 180_000);

afterAll(async () => {
  prometheus?.kill('SIGTERM');
  api?.child.kill('SIGTERM');
  worker?.child.kill('SIGTERM');
  await Promise.all([api?.exited, worker?.exited, new Promise((resolve) => (prometheus?.exitCode !== null ? resolve(undefined) : prometheus.once('exit', resolve)))]);
  await database?.drop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}, 60_000);

describe('dashboards and alerts against a real Prometheus scraping the API and worker', () => {
  it('the workload did what it meant to: logins failed and succeeded, refreshes, client_credentials, a rate-limited burst', () => {
    const { statuses } = workload.report;
    expect(statuses['token client_credentials']).toEqual(expect.arrayContaining([200, 401, 429]));
    expect(statuses['token refresh_token']).toEqual(expect.arrayContaining([200, 400]));
    expect(statuses['token authorization_code']).toEqual([200, 200]);
    expect(statuses.login).toEqual([200, 200]);
  });

  it('runs every PromQL expression of every dashboard without an error', async () => {
    const expressions = allDashboards.flatMap(dashboardExpressions).filter((q) => q.language === 'promql');
    expect(expressions.length).toBeGreaterThan(40);
    const failures: string[] = [];
    for (const { dashboard, panel, expr } of expressions) {
      const result = await query(resolveGrafanaVariables(expr));
      if (result.status !== 'success') failures.push(`${dashboard} / ${panel}: ${result.error ?? 'no answer'}\n  ${expr}`);
    }
    expect(failures).toEqual([]);
  });

  it('runs every alert expression without an error, and Prometheus evaluates every rule healthily', async () => {
    const file = parse(readFileSync(join(repoRoot, 'prometheus/alerts.yml'), 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> };
    const alerts = file.groups.flatMap((g) => g.rules);
    expect(alerts.length).toBeGreaterThanOrEqual(14);
    const failures: string[] = [];
    for (const { alert, expr } of alerts) {
      const result = await query(expr);
      if (result.status !== 'success') failures.push(`${alert}: ${result.error ?? 'no answer'}`);
    }
    expect(failures).toEqual([]);
    type Rules = { data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> } };
    const rules = async () => ((await (await fetch(`${prometheusUrl}/api/v1/rules`)).json()) as Rules).data.groups.flatMap((g) => g.rules);
    expect((await rules()).map((r) => r.name).sort()).toEqual(alerts.map((a) => a.alert).sort());
    const evaluated = await until('every rule to have been evaluated', async () => {
      const now = await rules();
      return now.every((r) => r.health !== 'unknown') ? now : undefined;
    });
    expect(evaluated.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError ?? r.health}`)).toEqual([]);
  });

  it('fills the core panels of the Identity Monitor with data', async () => {
    const panels = identityMonitor.panels.filter((p) => (IDENTITY_MONITOR_CORE_PANELS as readonly string[]).includes(p.title));
    expect(panels.map((p) => p.title).sort()).toEqual([...IDENTITY_MONITOR_CORE_PANELS].sort());
    const empty: string[] = [];
    for (const panel of panels) {
      const results = await Promise.all((panel.targets ?? []).map(async (t) => (await query(resolveGrafanaVariables(t.expr))).data?.result ?? []));
      if (results.every((r) => r.length === 0)) empty.push(panel.title);
    }
    expect(empty).toEqual([]);
  });

  it('shows what the workload did: login failures by reason, real latencies, the rate-limited burst, pool maximum and the job', async () => {
    const byReason = (await query(resolveGrafanaVariables(identityMonitor.panels.find((p) => p.title === 'Login failures by reason')?.targets?.[0]?.expr ?? ''))).data?.result ?? [];
    expect(byReason.map((r) => r.metric.reason)).toContain('invalid_credentials');
    for (const title of ['Token issuance latency (p50 / p95 / p99)', 'Refresh latency (p50 / p95 / p99)']) {
      for (const target of identityMonitor.panels.find((p) => p.title === title)?.targets ?? []) {
        const value = Number((await query(resolveGrafanaVariables(target.expr))).data?.result[0]?.value[1]);
        expect(Number.isFinite(value) && value > 0, `${title} ${target.legendFormat}: ${value}`).toBe(true);
      }
    }
    expect(await scalar('sum by (limiter) (identity_rate_limited_requests_total{limiter="token"})')).toBeGreaterThan(0);
    expect(await scalar('sum(identity_db_pool_max)')).toBe(10);
    expect(await scalar('sum(identity_jobs_total{queue="maintenance",name="cleanup",result="success"})')).toBeGreaterThan(0);
    // Failure series exist at 0 before anything failed (initialised by the worker).
    expect(await scalar('identity_jobs_total{queue="email",name="send",result="failure"}')).toBe(0);
  });

  it('every request-scoped API line carries reqId, and every job line its job id, queue and name', () => {
    const lines = (process: SpawnedProcess) => process.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    // Everything the API logs once it listens, while serving the workload, is about a request.
    const served = lines(api);
    const listening = served.findLastIndex((l) => typeof l.msg === 'string' && l.msg.startsWith('Server listening'));
    const requestScoped = served.slice(listening + 1);
    expect(requestScoped.length).toBeGreaterThan(20);
    expect(requestScoped.filter((l) => typeof l.reqId !== 'string').map((l) => l.msg)).toEqual([]);
    const jobLines = lines(worker).filter((l) => typeof l.msg === 'string' && l.msg.startsWith('job '));
    expect(jobLines.length).toBeGreaterThan(0);
    // Maintenance runs on schedule; the workload's sign-ins from new browsers also queue notices.
    for (const line of jobLines) expect(line).toMatchObject({ service: 'worker', jobId: expect.any(String), queue: expect.stringMatching(/^(maintenance|email)$/), jobName: expect.any(String) });
  });
});
