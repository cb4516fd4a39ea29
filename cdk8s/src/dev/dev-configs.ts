import { readFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { repoPath } from '../support/repo-path.js';

/**
 * Configuration of the kind dev stack, derived from the compose files so both stacks scrape, ship
 * and label the same way: only what differs in Kubernetes (service names, discovery) is changed.
 */

const readYaml = (path: string): Record<string, unknown> => parse(readFileSync(repoPath(path), 'utf8')) as Record<string, unknown>;
const text = (path: string): string => readFileSync(repoPath(path), 'utf8');

/** Compose service name → Service of the Lanyard charts (`api:8000` → `lanyard-api:8000`). */
const COMPOSE_TO_CHART: Readonly<Record<string, string>> = { api: 'lanyard-api', worker: 'lanyard-worker', operator: 'lanyard-operator' };

interface ScrapeConfig {
  job_name: string;
  static_configs: Array<{ targets: string[] }>;
}

/** prometheus/prometheus.yml with targets renamed to the charts' Services. */
export function devPrometheusConfig(): string {
  const config = readYaml('prometheus/prometheus.yml');
  const scrapes = (config.scrape_configs as ScrapeConfig[]).map((scrape) => ({
    ...scrape,
    static_configs: scrape.static_configs.map(({ targets }) => ({
      targets: targets.map((target) => {
        const [host = '', port = ''] = target.split(':');
        return `${COMPOSE_TO_CHART[host] ?? host}:${port}`;
      }),
    })),
  }));
  return stringify({ ...config, scrape_configs: scrapes });
}

/** prometheus/alerts.yml as is. */
export const devAlertRules = (): string => text('prometheus/alerts.yml');

interface PromtailScrape {
  pipeline_stages: unknown[];
}

/**
 * Promtail for Kubernetes: pod discovery on this node instead of the Docker socket, the CRI log
 * format unwrapped first, then exactly the compose pipeline (labels `service` and `level`).
 * Promtail labels file targets with `filename`, which is dropped to keep the label rule.
 */
export function devPromtailConfig(): string {
  const compose = readYaml('promtail-config.yaml');
  const [lanyard] = compose.scrape_configs as PromtailScrape[];
  if (lanyard === undefined) throw new Error('promtail-config.yaml has no scrape config');
  return stringify({
    server: compose.server,
    positions: { filename: '/run/promtail/positions.yaml' },
    clients: compose.clients,
    scrape_configs: [
      {
        job_name: 'lanyard',
        kubernetes_sd_configs: [{ role: 'pod', selectors: [{ role: 'pod', field: 'spec.nodeName=${NODE_NAME}' }] }],
        relabel_configs: [
          { source_labels: ['__meta_kubernetes_pod_label_app_kubernetes_io_name'], regex: 'lanyard-(api|worker|operator)', action: 'keep' },
          { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'service' },
          { source_labels: ['__meta_kubernetes_pod_uid', '__meta_kubernetes_pod_container_name'], separator: '/', target_label: '__path__', replacement: '/var/log/pods/*$1/*.log' },
        ],
        pipeline_stages: [{ cri: {} }, ...lanyard.pipeline_stages, { labeldrop: ['filename'] }],
      },
    ],
  });
}

/** grafana/provisioning/datasources: the dev Services are named like the compose services. */
export const devGrafanaDatasources = (): string => text('grafana/provisioning/datasources/datasources.yaml');

/** A dashboard provider reading what the sidecar writes, one sub-folder per grafana_folder. */
export const devGrafanaDashboardProvider = (path: string): string =>
  stringify({
    apiVersion: 1,
    providers: [{ name: 'sidecar', type: 'file', disableDeletion: false, allowUiUpdates: false, updateIntervalSeconds: 10, options: { path, foldersFromFilesStructure: true } }],
  });
