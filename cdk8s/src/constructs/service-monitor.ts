import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';

export interface ServiceMonitorProps {
  /** Labels of the Service whose `port` serves /metrics. */
  readonly serviceSelector: Readonly<Record<string, string>>;
  /**
   * Name of the Service port to scrape.
   * @default 'http'
   */
  readonly port?: string;
}

/**
 * A prometheus-operator ServiceMonitor (monitoring.coreos.com/v1) scraping /metrics. Written as a
 * plain ApiObject: generated imports would not type-check under this repo's compiler settings, and
 * the kube-apiserver dry-run test validates it against the real CRD schema instead.
 */
export class ServiceMonitor extends Construct {
  public constructor(scope: Construct, id: string, props: ServiceMonitorProps) {
    super(scope, id);
    const chart = HelmChart.of(this);
    HelmChart.renderIf(this, '.Values.serviceMonitor.enabled');
    new ApiObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: {
        name: chart.resourceName(),
        labels: { [helm.spliceKey('toYaml .Values.serviceMonitor.labels | trimPrefix "{}"')]: '' },
      },
      spec: {
        selector: { matchLabels: { ...props.serviceSelector } },
        endpoints: [{ port: props.port ?? 'http', path: '/metrics', interval: helm.quote('.Values.serviceMonitor.interval') }],
      },
    });
  }
}
