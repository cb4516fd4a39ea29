import { JsonPatch, ApiObject } from 'cdk8s';
import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';

export interface ApiAutoscalerProps {
  /** Name of the Deployment to scale. */
  readonly deploymentName: string;
}

/**
 * A CPU-based HorizontalPodAutoscaler (autoscaling/v2). Token signing and Argon2 are CPU-bound
 * (docs/reference/performance-budget.md), so CPU utilisation tracks load well. When it is enabled the
 * Deployment leaves `replicas` unset, so `helm upgrade` never fights the autoscaler.
 */
export class ApiAutoscaler extends Construct {
  public constructor(scope: Construct, id: string, props: ApiAutoscalerProps) {
    super(scope, id);
    const chart = HelmChart.of(this);
    HelmChart.renderIf(this, '.Values.autoscaling.enabled');
    const hpa = new k8s.KubeHorizontalPodAutoscalerV2(this, 'Resource', {
      metadata: { name: chart.resourceName() },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.deploymentName },
        minReplicas: 1,
        maxReplicas: 1,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 1 } } }],
      },
    });
    // The numbers above are placeholders for the typed props; the values decide.
    HelmChart.patch(ApiObject.of(hpa), 
      JsonPatch.replace('/spec/minReplicas', helm.value('.Values.autoscaling.minReplicas')),
      JsonPatch.replace('/spec/maxReplicas', helm.value('.Values.autoscaling.maxReplicas')),
      JsonPatch.replace('/spec/metrics/0/resource/target/averageUtilization', helm.value('.Values.autoscaling.targetCPUUtilizationPercentage')),
    );
  }
}
