import { readFileSync } from 'node:fs';
import { helm } from '../helm/markers.js';
import { repoPath } from '../support/repo-path.js';

/**
 * Chart `version` and `appVersion` follow the version of this package (cdk8s/package.json), so
 * one bump releases a consistent set of charts whose default image tag is that version.
 */
export const CHART_VERSION = (JSON.parse(readFileSync(repoPath('cdk8s/package.json'), 'utf8')) as { version: string }).version;
export const APP_VERSION = CHART_VERSION;

/** Service port of the API (docs/reference/ports.md). */
export const API_PORT = 8000;

/**
 * The API's metrics listener (METRICS_PORT): /metrics lists every tenant, so it is kept off the
 * public `http` port and its Ingress, and only Prometheus reaches it, in-cluster.
 */
export const API_METRICS_PORT = 9464;

/** PUBLIC_URL / LANYARD_API_URL default: the lanyard-api Service of the same release namespace. */
export const inClusterApiUrl = (serviceName: string): string => `(printf "http://%s.%s.svc:${API_PORT}" ${serviceName} .Release.Namespace)`;

/** A `set $data "NAME" <expr>` line for the configData helper: a computed default the user may override. */
export const configDefault = (name: string, expr: string): string => `{{- $_ := set $data "${name}" ${expr} }}`;

/** Selects a chart's Service (its standard labels) for a ServiceMonitor. */
export const serviceLabels = (chartName: string): Record<string, string> => ({
  'app.kubernetes.io/name': chartName,
  'app.kubernetes.io/instance': helm.value('.Release.Name'),
});
