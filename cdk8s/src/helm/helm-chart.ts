import { type ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Node, type Construct, type IConstruct } from 'constructs';
import { baseHelpers } from './helpers.js';
import { helm } from './markers.js';
import type { Json } from './render-yaml.js';
import type { ObjectSpec } from './values-spec.js';

/** An entry of Chart.yaml `dependencies` (umbrella charts). */
export interface ChartDependency {
  readonly name: string;
  readonly version: string;
  readonly repository: string;
  /** A values path that switches the subchart on and off, e.g. `lanyard-api.enabled`. */
  readonly condition: string;
}

export interface HelmChartProps {
  /** Chart.yaml `name`; also the prefix of the chart's named templates. */
  readonly name: string;
  /** Chart.yaml `description`. */
  readonly description: string;
  /** Chart.yaml `version` (SemVer 2). */
  readonly version: string;
  /** Chart.yaml `appVersion`: the default image tag. */
  readonly appVersion: string;
  /** Every value the chart reads; generates values.yaml and values.schema.json. */
  readonly values: ObjectSpec;
  /** templates/NOTES.txt, shown after install and upgrade (a template itself). */
  readonly notes: string;
  /** Named templates added to templates/_helpers.tpl after the base ones. @default none */
  readonly helpers?: string;
  /** CustomResourceDefinitions written to crds/ (installed before templates, never templated). @default none */
  readonly crds?: readonly Json[];
  /** Subcharts (umbrella charts). @default none */
  readonly dependencies?: readonly ChartDependency[];
  /** Chart.yaml `keywords`. @default ['lanyard'] */
  readonly keywords?: readonly string[];
}

const CONDITION_METADATA = 'lanyard:helm-condition';
const PATCH_METADATA = 'lanyard:helm-patch';

/**
 * A cdk8s Chart that is written out as a Helm chart (see ../synth/write-helm-chart.ts). Constructs
 * inside it ask it for names and labels, so every resource follows the chart's naming.
 */
export class HelmChart extends Chart {
  /** The HelmChart a construct belongs to. */
  public static override of(construct: IConstruct): HelmChart {
    const chart = construct.node.scopes.find((scope): scope is HelmChart => scope instanceof HelmChart);
    if (chart === undefined) throw new Error(`${construct.node.path} is not inside a HelmChart`);
    return chart;
  }

  /** The condition under which a construct's resources are rendered, from it or its nearest ancestor. */
  public static conditionOf(construct: IConstruct): string | undefined {
    for (const scope of [...construct.node.scopes].reverse()) {
      const entry = scope.node.metadata.find((m) => m.type === CONDITION_METADATA);
      if (entry !== undefined) return entry.data as string;
    }
    return undefined;
  }

  public readonly props: HelmChartProps;

  public constructor(scope: Construct, props: HelmChartProps) {
    super(scope, props.name, { disableResourceNameHashes: true });
    this.props = props;
  }

  /** `include "<chart>.<template>" .` */
  public include(template: string): string {
    return `include "${this.props.name}.${template}" .`;
  }

  /** A resource name: the chart's full name, optionally with a suffix (`lanyard-api-migrate`). */
  public resourceName(suffix?: string): string {
    const base = helm.value(this.include('fullname'));
    return suffix === undefined ? base : `${base}-${suffix}`;
  }

  /**
   * Labels that select this release's pods of one component of this chart (Deployment selectors,
   * Services, PDBs). The component keeps, e.g., migration pods out of the API Service.
   */
  public selectorLabels(component: string): Record<string, string> {
    return {
      'app.kubernetes.io/name': this.props.name,
      'app.kubernetes.io/instance': helm.value('.Release.Name'),
      'app.kubernetes.io/component': component,
    };
  }

  /** Renders the resources under `construct` only when the Go template `condition` is truthy. */
  public static renderIf(construct: IConstruct, condition: string): void {
    Node.of(construct).addMetadata(CONDITION_METADATA, condition);
  }

  /**
   * JSON patches that put markers where the typed cdk8s API cannot (a string for `replicas`, a
   * block for `resources`). They are applied to the synthesized JSON when the template is written:
   * cdk8s's own addJsonPatch runs before the typed serializers, which would drop such values.
   */
  public static patch(object: ApiObject, ...ops: JsonPatch[]): void {
    Node.of(object).addMetadata(PATCH_METADATA, ops);
  }

  /** An object's manifest with its {@link patch} operations applied. */
  public static patchedManifest(object: ApiObject): unknown {
    const ops = object.node.metadata.filter((m) => m.type === PATCH_METADATA).flatMap((m) => m.data as JsonPatch[]);
    return JsonPatch.apply(object.toJson(), ...ops);
  }

  /** templates/_helpers.tpl */
  public helpersText(): string {
    return `${baseHelpers(this.props.name, 'fullnameOverride' in this.props.values.properties)}${this.props.helpers ?? ''}`;
  }
}
