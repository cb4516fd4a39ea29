/**
 * Markers: Helm template expressions embedded in the manifests cdk8s synthesizes. cdk8s only
 * produces plain data, so a construct that wants `{{ .Values.replicaCount }}` writes a marker
 * string instead; {@link renderTemplate} turns markers into template syntax when it writes
 * templates/*.yaml. See docs/adr/0003-helm-from-cdk8s.md.
 *
 * The delimiters ⟦ ⟧ (U+27E6/U+27E7) never occur in Kubernetes manifests or Go templates, so a
 * marker cannot be confused with data, and it survives cdk8s's JSON round trips unchanged.
 */

const OPEN = '⟦';
const CLOSE = '⟧';

/** How a marker is rendered. */
export type MarkerKind =
  /** `{{ expr }}` — a scalar whose YAML type comes from the value (int, bool, unquoted string). */
  | 'value'
  /** `{{ expr | quote }}` — always a string, whatever characters the value contains. */
  | 'quote'
  /** `{{- expr | nindent N }}` — YAML text (a mapping or a sequence) spliced in at the right indent. */
  | 'block'
  /** Prefix of a mapping key: the entry is rendered only when `expr` is truthy. */
  | 'if';

export interface Marker {
  readonly kind: MarkerKind;
  readonly expr: string;
}

const make = (kind: MarkerKind, expr: string): string => {
  if (expr.includes(OPEN) || expr.includes(CLOSE)) throw new Error(`a Helm expression cannot contain a marker: ${expr}`);
  return `${OPEN}${kind} ${expr.trim()}${CLOSE}`;
};

/** Builders for markers; `expr` is a Go template pipeline without the braces, e.g. `.Values.image.tag`. */
export const helm = {
  /** A scalar value; may also be embedded in a longer string (`${helm.value('.Release.Name')}-db`). */
  value: (expr: string): string => make('value', expr),
  /** A scalar that must stay a string (config values, annotations). */
  quote: (expr: string): string => make('quote', expr),
  /** As a mapping value or sequence item: YAML produced by a template (`toYaml .Values.resources`). */
  block: (expr: string): string => make('block', expr),
  /**
   * As a mapping key: splices the YAML mapping produced by `expr` into the surrounding mapping,
   * next to the literal keys (e.g. the chart's standard labels).
   */
  spliceKey: (expr: string): string => make('block', expr),
  /** A mapping key rendered only when `expr` is truthy: `{ [helm.when('.Values.x', 'key')]: value }`. */
  when: (expr: string, key: string): string => `${make('if', expr)}${key}`,
};

const MARKER = /⟦(value|quote|block|if) ([^⟦⟧]*)⟧/g;

/** Splits a string into literal text and markers, in order. */
export function parseMarkers(text: string): Array<string | Marker> {
  const parts: Array<string | Marker> = [];
  let last = 0;
  for (const match of text.matchAll(MARKER)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push({ kind: match[1] as MarkerKind, expr: match[2] as string });
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts;
}

/** True when the string contains at least one marker. */
export const hasMarker = (text: string): boolean => text.includes(OPEN);

/** The single marker a string consists of, if it is exactly one marker. */
export function soleMarker(text: string): Marker | undefined {
  const parts = parseMarkers(text);
  return parts.length === 1 && typeof parts[0] !== 'string' ? parts[0] : undefined;
}

/** Every Go template pipeline used by the markers in a JSON-like value (keys included). */
export function collectExpressions(value: unknown): string[] {
  if (typeof value === 'string') return parseMarkers(value).flatMap((part) => (typeof part === 'string' ? [] : [part.expr]));
  if (Array.isArray(value)) return value.flatMap(collectExpressions);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => [...collectExpressions(key), ...collectExpressions(item)]);
  }
  return [];
}
