import * as kplus from 'cdk8s-plus-28';
import type { Construct } from 'constructs';
import { APP_VERSION, CHART_VERSION } from '../charts/chart-meta.js';
import { HelmChart } from '../helm/helm-chart.js';
import { devAlertRules, devPrometheusConfig } from './dev-configs.js';
import { DEV_CREDENTIALS } from './dev-credentials.js';
import { DevDependency } from './dev-dependency.js';
import { DevGrafana } from './grafana.js';
import { KIND_NODE_PORTS } from './node-ports.js';
import { alloyShipper } from './alloy.js';
import { NodeLogShipper } from './node-log-shipper.js';
import { promtailShipper } from './promtail.js';
import { devValues } from './dev-values.js';

const NAME = 'lanyard-dev';

const notes = `Development dependencies for Lanyard are running in {{ .Release.Namespace }} (kind + Tilt only).
The Secret "lanyard" holds well-known development credentials: never install this chart elsewhere.
`;

/**
 * Everything the Lanyard charts need on a laptop cluster, named like the docker compose services
 * (postgres, redis, mailpit, prometheus, loki, grafana) so the same connection strings and
 * Grafana data sources work in both. Tilt installs it (see Tiltfile); it is not part of `lanyard`.
 */
export function devStackChart(scope: Construct): HelmChart {
  const chart = new HelmChart(scope, {
    name: NAME,
    description: 'Lanyard development stack for kind + Tilt: PostgreSQL, Redis, Mailpit, Prometheus, Loki, Grafana Alloy (or Promtail), Grafana and a dev Secret. Not for production.',
    version: CHART_VERSION,
    appVersion: APP_VERSION,
    values: devValues,
    notes,
    keywords: ['lanyard', 'development'],
  });

  // The keys the Lanyard charts' default `secrets.files` expect (docs/deploy.md), and Redis's password.
  const secret = new kplus.Secret(chart, 'Secret', {
    metadata: { name: 'lanyard' },
    stringData: {
      'database-url': `postgres://lanyard:${DEV_CREDENTIALS.postgresPassword}@postgres:5432/lanyard`,
      'redis-password': DEV_CREDENTIALS.redisPassword,
      'redis-url': `redis://:${DEV_CREDENTIALS.redisPassword}@redis:6379`,
      'smtp-url': 'smtp://mailpit:1025',
      'key-encryption-key': DEV_CREDENTIALS.keyEncryptionKey,
      'bootstrap-admin-client-secret': DEV_CREDENTIALS.bootstrapAdminClientSecret,
    },
  });

  new DevDependency(chart, 'Postgres', {
    name: 'postgres',
    imageValue: 'images.postgres',
    ports: [{ name: 'postgres', port: 5432 }],
    env: {
      POSTGRES_USER: kplus.EnvValue.fromValue('lanyard'),
      POSTGRES_PASSWORD: kplus.EnvValue.fromValue(DEV_CREDENTIALS.postgresPassword),
      POSTGRES_DB: kplus.EnvValue.fromValue('lanyard'),
      PGDATA: kplus.EnvValue.fromValue('/var/lib/postgresql/data/pgdata'),
    },
    scratchPaths: ['/var/lib/postgresql/data'],
  });
  new DevDependency(chart, 'Redis', {
    name: 'redis',
    imageValue: 'images.redis',
    ports: [{ name: 'redis', port: 6379 }],
    // As in docker compose: a password, from the Secret (Kubernetes expands $(REDIS_PASSWORD) in args).
    env: { REDIS_PASSWORD: kplus.EnvValue.fromSecretValue({ secret, key: 'redis-password' }) },
    args: ['--save', '', '--appendonly', 'no', '--requirepass', '$(REDIS_PASSWORD)'],
  });
  new DevDependency(chart, 'Mailpit', {
    name: 'mailpit',
    imageValue: 'images.mailpit',
    ports: [
      { name: 'http', port: 8025 },
      { name: 'smtp', port: 1025 },
    ],
    readyPath: '/readyz',
  });

  const prometheusConfig = new kplus.ConfigMap(chart, 'PrometheusConfig', {
    metadata: { name: 'prometheus' },
    data: { 'prometheus.yml': devPrometheusConfig(), 'alerts.yml': devAlertRules() },
  });
  new DevDependency(chart, 'Prometheus', {
    name: 'prometheus',
    imageValue: 'images.prometheus',
    ports: [{ name: 'http', port: 9090 }],
    readyPath: '/-/ready',
    nodePort: KIND_NODE_PORTS.prometheus.nodePort,
    args: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus', '--web.enable-lifecycle'],
    configMounts: { '/etc/prometheus': prometheusConfig },
    scratchPaths: ['/prometheus'],
  });
  new DevDependency(chart, 'Loki', {
    name: 'loki',
    imageValue: 'images.loki',
    ports: [{ name: 'http', port: 3100 }],
    readyPath: '/ready',
    args: ['-config.file=/etc/loki/local-config.yaml'],
    scratchPaths: ['/loki'],
  });
  new NodeLogShipper(chart, 'Alloy', alloyShipper());
  new NodeLogShipper(chart, 'Promtail', promtailShipper());
  new DevGrafana(chart, 'Grafana');
  return chart;
}
