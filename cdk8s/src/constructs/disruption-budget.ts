import { k8s } from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { HelmChart } from '../helm/helm-chart.js';
import { helm } from '../helm/markers.js';

export interface DisruptionBudgetProps {
  /** Pods it protects. */
  readonly selector: Readonly<Record<string, string>>;
}

/** Keeps `minAvailable` API pods up during voluntary disruptions (node drains, cluster upgrades). */
export class DisruptionBudget extends Construct {
  public constructor(scope: Construct, id: string, props: DisruptionBudgetProps) {
    super(scope, id);
    const chart = HelmChart.of(this);
    HelmChart.renderIf(this, '.Values.podDisruptionBudget.enabled');
    new k8s.KubePodDisruptionBudget(this, 'Resource', {
      metadata: { name: chart.resourceName() },
      spec: {
        // An integer or a percentage: the value keeps its YAML type.
        minAvailable: k8s.IntOrString.fromString(helm.value('.Values.podDisruptionBudget.minAvailable')),
        selector: { matchLabels: { ...props.selector } },
      },
    });
  }
}
