import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadApiConfig, loadWorkerConfig } from '@lanyard/config';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEV_CREDENTIALS } from '../../src/dev/dev-credentials.js';
import { mustRun, repoRoot, systemTool, tempDir } from '../support/tools.js';

interface ComposeService {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: Array<string | { published: number | string; target: number }>;
  volumes?: Array<string | { type: string; source: string; target: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  profiles?: string[];
  depends_on?: Record<string, { condition: string }>;
}

/** `host:container` pairs of a service's published ports, however compose spelled them. */
const publishedPorts = (service: ComposeService): string[] =>
  (service.ports ?? []).map((p) => (typeof p === 'string' ? p.split(':').slice(-2).join(':') : `${p.published}:${p.target}`));

/** Rows of the service table in docs/deploy.md (between the services:start/end markers). */
function documentedServices(): Array<{ service: string; port: number }> {
  const doc = readFileSync(join(repoRoot, 'docs/deploy.md'), 'utf8');
  const table = doc.slice(doc.indexOf('<!-- services:start -->'), doc.indexOf('<!-- services:end -->'));
  return [...table.matchAll(/^\|[^|]+\|[^|]+\| `([a-z-]+)` \| (\d+) \|$/gm)].map((m) => ({ service: m[1] as string, port: Number(m[2]) }));
}

// `docker-compose config` (Debian's docker-compose v1) validates and resolves the file offline,
// exactly as `cp .env.example .env && docker compose up -d` would see it.
describe('docker-compose.yml', () => {
  let project: string;
  let services: Record<string, ComposeService>;

  beforeAll(() => {
    project = tempDir('compose');
    copyFileSync(join(repoRoot, 'docker-compose.yml'), join(project, 'docker-compose.yml'));
    copyFileSync(join(repoRoot, '.env.example'), join(project, '.env'));
    const resolved = mustRun(systemTool('docker-compose', 'apt-get install --no-install-recommends docker-compose'), ['config'], { cwd: project });
    services = (parse(resolved) as { services: Record<string, ComposeService> }).services;
  });

  it('has every service of the stack', () => {
    expect(Object.keys(services).sort()).toEqual(['alloy', 'api', 'grafana', 'loki', 'mailpit', 'migrate', 'postgres', 'prometheus', 'promtail', 'redis', 'worker']);
  });

  it('ships logs with Alloy by default and keeps Promtail as the `promtail` profile', () => {
    expect(services.alloy?.profiles).toBeUndefined();
    expect(services.alloy?.command).toEqual(['run', '--server.http.listen-addr=0.0.0.0:12345', '--storage.path=/var/lib/alloy/data', '/etc/alloy/config.alloy']);
    expect(services.promtail?.profiles).toEqual(['promtail']);
    for (const name of ['alloy', 'promtail']) {
      expect(services[name]?.depends_on, name).toEqual({ loki: { condition: 'service_healthy' } });
      expect(publishedPorts(services[name] as ComposeService), name).toEqual([]);
      expect(JSON.stringify(services[name]?.volumes), name).toMatch(/docker\.sock:\/var\/run\/docker\.sock:ro|"source":"\/var\/run\/docker\.sock".*"read_only":true/);
    }
  });

  it('publishes every service docs/deploy.md lists, on the documented port', () => {
    const documented = documentedServices();
    expect(documented).toHaveLength(7);
    expect(documented.map((d) => d.service)).toEqual(expect.arrayContaining(['api', 'grafana', 'prometheus', 'worker', 'mailpit']));
    for (const { service, port } of documented) {
      expect(services[service], service).toBeDefined();
      expect(publishedPorts(services[service] as ComposeService), service).toContain(`${port}:${port}`);
    }
  });

  it('runs migrations once before the API and worker, and health-checks the rest', () => {
    for (const name of ['api', 'worker']) {
      expect(services[name]?.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
      expect(services[name]?.healthcheck?.test?.join(' ')).toMatch(/healthcheck\.mjs http:\/\/127\.0\.0\.1:\d+\/healthz/);
    }
    // Named like the service in its log lines (packages/db/src/bin/migrate.ts) and the migration
    // Job's container, so logs and `docker compose ps` agree.
    expect(services.migrate?.command).toEqual(['node', 'dist/migrate.js']);
    expect(services.migrate?.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(readFileSync(join(repoRoot, 'packages/db/src/bin/migrate.ts'), 'utf8')).toContain("service: 'migrate'");
    for (const name of ['postgres', 'redis', 'mailpit', 'prometheus', 'loki', 'grafana']) expect(services[name]?.healthcheck?.test, name).toBeDefined();
    for (const service of Object.values(services)) {
      for (const dependency of Object.values(service.depends_on ?? {})) expect(dependency.condition).toMatch(/^service_(healthy|completed_successfully)$/);
    }
  });

  it('gives the API and worker a configuration their own parsers accept, from .env.example alone', () => {
    expect(() => loadApiConfig(services.api?.environment)).not.toThrow();
    expect(() => loadWorkerConfig(services.worker?.environment)).not.toThrow();
    expect(services.api?.environment).toMatchObject({
      DATABASE_URL: 'postgres://lanyard:lanyard@postgres:5432/lanyard',
      REDIS_URL: `redis://:${DEV_CREDENTIALS.redisPassword}@redis:6379`,
      SMTP_URL: 'smtp://mailpit:1025',
      KEY_ENCRYPTION_KEY: DEV_CREDENTIALS.keyEncryptionKey,
      BOOTSTRAP_ADMIN_CLIENT_SECRET: DEV_CREDENTIALS.bootstrapAdminClientSecret,
    });
  });

  it('starts Redis with --requirepass REDIS_PASSWORD and gives the API and worker a REDIS_URL carrying it', () => {
    const command = services.redis?.command ?? [];
    expect(command.slice(command.indexOf('--requirepass'), command.indexOf('--requirepass') + 2)).toEqual(['--requirepass', DEV_CREDENTIALS.redisPassword]);
    // The health check must authenticate too, or Redis would never turn healthy.
    expect(services.redis?.environment).toEqual({ REDISCLI_AUTH: DEV_CREDENTIALS.redisPassword });
    expect(services.redis?.healthcheck?.test?.join(' ')).toMatch(/redis-cli ping \| grep -q PONG/);
    for (const name of ['api', 'worker', 'migrate']) {
      expect(services[name]?.environment?.REDIS_URL, name).toBe(`redis://:${DEV_CREDENTIALS.redisPassword}@redis:6379`);
    }
    expect(publishedPorts(services.redis as ComposeService)).toEqual([]);
  });

  it('takes the Redis password from REDIS_PASSWORD in .env, for the server and the clients alike', () => {
    const custom = tempDir('compose-redis');
    copyFileSync(join(repoRoot, 'docker-compose.yml'), join(custom, 'docker-compose.yml'));
    const env = readFileSync(join(repoRoot, '.env.example'), 'utf8');
    expect(env).toMatch(/^REDIS_PASSWORD=$/m);
    writeFileSync(join(custom, '.env'), env.replace(/^REDIS_PASSWORD=$/m, 'REDIS_PASSWORD=a-local-redis-password'));
    const resolved = mustRun(systemTool('docker-compose', 'apt-get install --no-install-recommends docker-compose'), ['config'], { cwd: custom });
    const { redis, api, worker } = (parse(resolved) as { services: Record<string, ComposeService> }).services;
    expect(redis?.command).toEqual(expect.arrayContaining(['--requirepass', 'a-local-redis-password']));
    expect(redis?.environment?.REDISCLI_AUTH).toBe('a-local-redis-password');
    expect(api?.environment?.REDIS_URL).toBe('redis://:a-local-redis-password@redis:6379');
    expect(worker?.environment?.REDIS_URL).toBe('redis://:a-local-redis-password@redis:6379');
    expect(resolved).not.toContain(DEV_CREDENTIALS.redisPassword);
  });

  it('serves the API /metrics on METRICS_PORT 9464, scraped inside the compose network and never published', () => {
    expect(services.api?.environment?.METRICS_PORT).toBe('9464');
    expect(loadApiConfig(services.api?.environment)).toMatchObject({ PORT: 8000, METRICS_PORT: 9464 });
    for (const [name, service] of Object.entries(services)) {
      expect(publishedPorts(service).filter((p) => p.endsWith(':9464')), name).toEqual([]);
    }
    const prometheus = parse(readFileSync(join(repoRoot, 'prometheus/prometheus.yml'), 'utf8')) as { scrape_configs: Array<{ job_name: string; static_configs: Array<{ targets: string[] }> }> };
    expect(prometheus.scrape_configs.find((s) => s.job_name === 'api')?.static_configs.flatMap((c) => c.targets)).toEqual(['api:9464']);
  });

  it('mounts only files that exist in the repository', () => {
    let checked = 0;
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = typeof volume === 'string' ? volume.split(':')[0] ?? '' : volume.source;
        if (!source.startsWith(project)) continue;
        expect(existsSync(join(repoRoot, relative(project, source))), `${name}: ${source}`).toBe(true);
        checked += 1;
      }
    }
    // prometheus/, alloy-config.alloy, promtail-config.yaml, grafana/provisioning, grafana/dashboards_json
    expect(checked).toBe(5);
  });
});
