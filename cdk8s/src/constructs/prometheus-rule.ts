import { readFileSync } from 'node:fs';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';
import { repoPath } from '../support/repo-path.js';

export interface PrometheusRuleProps {
  /** The group of prometheus/alerts.yml this chart ships, e.g. `lanyard-api`. */
  readonly group: string;
}

interface RuleGroup {
  readonly name: string;
  readonly rules: readonly unknown[];
}

/** Reads one group of prometheus/alerts.yml, the single source of the platform's alert rules. */
export function alertGroup(name: string): RuleGroup {
  const file = parse(readFileSync(repoPath('prometheus/alerts.yml'), 'utf8')) as { groups: RuleGroup[] };
  const group = file.groups.find((g) => g.name === name);
  if (group === undefined) throw new Error(`prometheus/alerts.yml has no group ${name}`);
  return group;
}

/** A prometheus-operator PrometheusRule carrying this component's alerts (same rules as compose). */
export class PrometheusRule extends Construct {
  public constructor(scope: Construct, id: string, props: PrometheusRuleProps) {
    super(scope, id);
    const chart = HelmChart.of(this);
    HelmChart.renderIf(this, '.Values.prometheusRule.enabled');
    new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: {
        name: chart.resourceName(),
        labels: { [helm.spliceKey('toYaml .Values.prometheusRule.labels | trimPrefix "{}"')]: '' },
      },
      spec: { groups: [alertGroup(props.group)] },
    });
  }
}
