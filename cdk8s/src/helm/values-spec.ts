import type { Json } from './render-yaml.js';

/**
 * One description of a chart's values, from which both values.yaml (defaults + comments) and
 * values.schema.json are generated, so the two can never disagree. Closed objects reject unknown
 * keys, which is what makes a typo in `--set` fail instead of being silently ignored.
 */
export type ValueSpec = ScalarSpec | ObjectSpec | FreeSpec;

/** A JSON Schema (draft 07) fragment. */
export type JsonSchema = { readonly [key: string]: Json };

interface Described {
  /** Becomes the comment above the key in values.yaml and `description` in the schema. */
  readonly description: string;
}

export interface ScalarSpec extends Described {
  readonly kind: 'scalar';
  readonly default: string | number | boolean;
  readonly schema: JsonSchema;
}

export interface ObjectSpec extends Described {
  readonly kind: 'object';
  readonly properties: { readonly [key: string]: ValueSpec };
}

/** Free-form data (resources, tolerations, config maps) validated by a hand-written schema. */
export interface FreeSpec extends Described {
  readonly kind: 'free';
  readonly default: Json;
  readonly schema: JsonSchema;
}

/** Builders for value specs. */
export const v = {
  string: (value: string, description: string, schema: JsonSchema = {}): ScalarSpec => ({
    kind: 'scalar',
    default: value,
    description,
    schema: { type: 'string', ...schema },
  }),
  int: (value: number, description: string, schema: JsonSchema = {}): ScalarSpec => ({
    kind: 'scalar',
    default: value,
    description,
    schema: { type: 'integer', ...schema },
  }),
  bool: (value: boolean, description: string): ScalarSpec => ({ kind: 'scalar', default: value, description, schema: { type: 'boolean' } }),
  object: (description: string, properties: { readonly [key: string]: ValueSpec }): ObjectSpec => ({ kind: 'object', description, properties }),
  free: (value: Json, description: string, schema: JsonSchema): FreeSpec => ({ kind: 'free', default: value, description, schema }),
};

/** The default values (the content of values.yaml without comments). */
export function defaultsOf(spec: ValueSpec): Json {
  if (spec.kind === 'object') return Object.fromEntries(Object.entries(spec.properties).map(([key, child]) => [key, defaultsOf(child)]));
  return spec.default;
}

function schemaOf(spec: ValueSpec): JsonSchema {
  if (spec.kind !== 'object') return { description: spec.description, ...spec.schema };
  return {
    description: spec.description,
    type: 'object',
    additionalProperties: false,
    required: Object.keys(spec.properties),
    properties: Object.fromEntries(Object.entries(spec.properties).map(([key, child]) => [key, schemaOf(child)])),
  };
}

/**
 * values.schema.json. `global` is always allowed: Helm passes it to every chart of an umbrella
 * release, so a closed top level must still accept it.
 */
export function valuesSchema(spec: ObjectSpec, title: string): JsonSchema {
  const root = schemaOf(spec);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title,
    ...root,
    properties: { ...(root.properties as JsonSchema), global: { type: 'object', description: 'Values shared by all charts of a release (set by Helm).' } },
  };
}

/** True when `.Values.<path>` exists in the spec (free-form values accept any sub-path). */
export function hasValuePath(spec: ValueSpec, path: readonly string[]): boolean {
  const [head, ...rest] = path;
  if (head === undefined || spec.kind === 'free') return true;
  if (spec.kind === 'scalar') return false;
  const child = spec.properties[head];
  return child !== undefined && hasValuePath(child, rest);
}
