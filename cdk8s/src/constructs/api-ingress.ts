import { ApiObject, JsonPatch } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';

export interface ApiIngressProps {
  /** The API Service and its `http` port (never the metrics port). */
  readonly serviceName: string;
  readonly servicePort: number;
}

/**
 * Exposes the API at `ingress.host`: every tenant's issuer, hosted pages, /docs, all on the `http`
 * port. /metrics is not among them: the API serves it only on its separate `metrics` listener,
 * which the Ingress never routes to (Prometheus scrapes it in-cluster through the Service). With the
 * Ingress on, the chart sets TRUST_PROXY_HOPS to `ingress.trustedProxyHops`, so per-IP limits see
 * the client's address rather than the ingress controller's.
 */
export class ApiIngress extends Construct {
  public constructor(scope: Construct, id: string, props: ApiIngressProps) {
    super(scope, id);
    const chart = HelmChart.of(this);
    HelmChart.renderIf(this, '.Values.ingress.enabled');
    const ingress = new k8s.KubeIngress(this, 'Resource', {
      metadata: { name: chart.resourceName() },
      spec: {
        rules: [
          {
            host: helm.quote('.Values.ingress.host'),
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.serviceName, port: { number: props.servicePort } } } }],
            },
          },
        ],
      },
    });
    HelmChart.patch(
      ApiObject.of(ingress),
      JsonPatch.add('/metadata/annotations', { [helm.spliceKey('toYaml .Values.ingress.annotations | trimPrefix "{}"')]: null }),
      JsonPatch.add(`/spec/${helm.when('.Values.ingress.className', 'ingressClassName')}`, helm.quote('.Values.ingress.className')),
      JsonPatch.add(`/spec/${helm.when('.Values.ingress.tls.enabled', 'tls')}`, [
        { hosts: [helm.quote('.Values.ingress.host')], secretName: helm.quote('.Values.ingress.tls.secretName') },
      ]),
    );
  }
}
