import { type Dashboard, dashboardJson } from '@lanyard/dashboards';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';

export interface DashboardConfigMapProps {
  /** The dashboard models from @lanyard/dashboards, one `<uid>.json` key each. */
  readonly dashboards: readonly Dashboard[];
}

/**
 * A Grafana dashboard for the Grafana sidecar (kube-prometheus-stack, the kind dev stack): it
 * loads every key of every ConfigMap labelled grafana_dashboard: "1" as a dashboard, into the
 * folder named by grafana_folder.
 */
export class DashboardConfigMap extends Construct {
  public constructor(scope: Construct, id: string, props: DashboardConfigMapProps) {
    super(scope, id);
    const chart = HelmChart.of(this);
    HelmChart.renderIf(this, '.Values.dashboards.enabled');
    new ApiObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: chart.resourceName('dashboard'),
        labels: { grafana_dashboard: '1' },
        annotations: { grafana_folder: helm.quote('.Values.dashboards.folder') },
      },
      data: Object.fromEntries(props.dashboards.map((dashboard) => [`${dashboard.uid}.json`, dashboardJson(dashboard)])),
    });
  }
}
