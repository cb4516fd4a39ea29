import type { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { type ValueSpec, v } from '../helm/values-spec.js';
import { APP_VERSION, CHART_VERSION } from './chart-meta.js';

const SUBCHARTS = ['lanyard-api', 'lanyard-worker', 'lanyard-operator'] as const;

const subchartValues = (name: string): ValueSpec =>
  v.free({ enabled: true }, `Values of the ${name} chart (see its values.yaml); enabled: false leaves it out.`, {
    type: 'object',
    properties: { enabled: { type: 'boolean' } },
  });

const notes = `Lanyard {{ .Chart.AppVersion }} is installed in namespace {{ .Release.Namespace }}:
{{- range $name := list ${SUBCHARTS.map((name) => `"${name}"`).join(' ')} }}
{{- if (index $.Values $name).enabled }}
  - {{ $name }}
{{- end }}
{{- end }}

Each component prints its own notes with \`helm get notes {{ .Release.Name }}\`; see docs/deploy.md.
`;

/** The whole platform in one release: the three charts as dependencies, each switchable. */
export function umbrellaChart(scope: Construct): HelmChart {
  return new HelmChart(scope, {
    name: 'lanyard',
    description: 'Lanyard identity platform: the API, the worker and the IdentityTenant operator in one release.',
    version: CHART_VERSION,
    appVersion: APP_VERSION,
    values: v.object('lanyard', Object.fromEntries(SUBCHARTS.map((name) => [name, subchartValues(name)]))),
    notes,
    keywords: ['lanyard', 'oauth2', 'openid-connect', 'identity', 'operator'],
    dependencies: SUBCHARTS.map((name) => ({ name, version: CHART_VERSION, repository: `file://../${name}`, condition: `${name}.enabled` })),
  });
}
