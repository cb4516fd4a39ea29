import { stringify } from 'yaml';
import { type Marker, parseMarkers, soleMarker } from './markers.js';

/**
 * A small YAML emitter that understands markers (./markers.ts) and writes Helm template text.
 *
 * Why not the `yaml` library's document output plus string replacement: a block marker needs the
 * indentation of the place it lands in (`nindent N`), a conditional key must wrap exactly the
 * lines of its entry, and literal `{{` in data (Grafana legends, Prometheus alert templates) must
 * be escaped so Helm prints it verbatim. All three are natural while emitting and fragile after.
 * Scalars are still quoted by the `yaml` library, in YAML 1.1 mode because Helm's parser treats
 * `yes`/`on` as booleans.
 */

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

const pad = (n: number): string => ' '.repeat(n);

/** Makes Helm print literal braces: `{{` becomes {{`{{`}}, which renders as `{{`. */
const escapeBraces = (text: string): string => text.replace(/\{\{|\}\}/g, (braces) => `{{\`${braces}\`}}`);

/**
 * Template mode (templates/*.yaml) renders markers and escapes literal braces; plain mode
 * (values.yaml, crds/, which Helm never templates) writes strings exactly and refuses markers.
 */
let templating = true;
const escapeText = (text: string): string => (templating ? escapeBraces(text) : text);

const stringifyScalar = (value: string | number | boolean | null): string =>
  stringify(value, { version: '1.1', lineWidth: 0, blockQuote: 'literal' }).replace(/\n$/, '');

const isMapping = (value: Json): value is { readonly [key: string]: Json } =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

/** `{{- expr | nindent N }}`: template output placed on new lines at column N. */
const spliceLine = (expr: string, indent: number): string => `${pad(indent)}{{- ${expr} | nindent ${indent} }}`;

function blockMarker(value: Json): string | undefined {
  if (typeof value !== 'string') return undefined;
  const marker = soleMarker(value);
  return marker?.kind === 'block' ? marker.expr : undefined;
}

/** A string with markers as one scalar: a sole marker unquoted, otherwise a double-quoted string. */
function templatedScalar(parts: ReadonlyArray<string | Marker>): string {
  const [first] = parts;
  if (parts.length === 1 && typeof first !== 'string' && first !== undefined) {
    if (first.kind === 'value') return `{{ ${first.expr} }}`;
    if (first.kind === 'quote') return `{{ ${first.expr} | quote }}`;
  }
  return `"${parts
    .map((part) => {
      if (typeof part === 'string') return escapeBraces(JSON.stringify(part).slice(1, -1));
      // Inside a longer string the value is printed raw, so only `value` markers are allowed here.
      if (part.kind !== 'value') throw new Error(`a ${part.kind} marker must be a whole value, not part of a string`);
      return `{{ ${part.expr} }}`;
    })
    .join('')}"`;
}

/** A scalar as the first line plus continuation lines (block literals), indented for `indent`. */
function scalarLines(value: string | number | boolean | null, indent: number): [string, ...string[]] {
  if (typeof value === 'string') {
    const parts = parseMarkers(value);
    if (parts.some((part) => typeof part !== 'string')) {
      if (!templating) throw new Error(`markers are only allowed in templates: ${value}`);
      return [templatedScalar(parts)];
    }
  }
  let text = stringifyScalar(value);
  // A block literal with an indentation indicator (text starting with spaces) is relative to the
  // library's column, not ours: write such rare strings double-quoted (JSON escapes are YAML's).
  if (/^[|>][-+]?\d/.test(text)) text = JSON.stringify(value);
  const [head = '', ...rest] = escapeText(text).split('\n');
  // The library writes block-literal lines from column 0; they belong 2 columns under the entry.
  return [head, ...rest.map((line) => (line === '' ? line : pad(indent + 2) + line))];
}

interface Entry {
  readonly name: string;
  readonly value: Json;
  readonly condition?: string;
  readonly splice?: string;
}

function parseKey(key: string, value: Json): Entry {
  const parts = templating ? parseMarkers(key) : [key];
  const [first, second] = parts;
  if (parts.length === 1 && typeof first !== 'string' && first?.kind === 'block') return { name: '', value, splice: first.expr };
  if (first !== undefined && typeof first !== 'string' && first.kind === 'if' && (parts.length === 1 || typeof second === 'string')) {
    return { name: typeof second === 'string' ? second : '', value, condition: first.expr };
  }
  if (parts.some((part) => typeof part !== 'string')) throw new Error(`unsupported marker in mapping key: ${key}`);
  return { name: key, value };
}

// Splices (e.g. the standard labels) first, then keys in a stable alphabetical order.
const byKey = (a: Entry, b: Entry): number =>
  a.splice !== undefined || b.splice !== undefined
    ? Number(b.splice !== undefined) - Number(a.splice !== undefined)
    : a.name < b.name
      ? -1
      : a.name > b.name
        ? 1
        : 0;

function entryLines(entry: Entry, indent: number): string[] {
  if (entry.splice !== undefined) return [spliceLine(entry.splice, indent)];
  const key = `${pad(indent)}${escapeText(stringifyScalar(entry.name))}:`;
  const value = entry.value;
  const block = blockMarker(value);
  if (block !== undefined) return [key, spliceLine(block, indent + 2)];
  if (Array.isArray(value)) return value.length === 0 ? [`${key} []`] : [key, ...sequenceLines(value, indent + 2)];
  if (isMapping(value)) return Object.keys(value).length === 0 ? [`${key} {}`] : [key, ...mappingLines(value, indent + 2)];
  const [head, ...rest] = scalarLines(value as string | number | boolean | null, indent);
  return [`${key} ${head}`, ...rest];
}

function mappingLines(mapping: { readonly [key: string]: Json }, indent: number): string[] {
  const entries = Object.entries(mapping)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => parseKey(key, value));
  // Templates sort keys: JSON patches append keys, and a stable order keeps charts/ diff-friendly.
  // Plain files keep the author's order (Chart.yaml reads apiVersion, name, description, ...).
  if (templating) entries.sort(byKey);
  return entries.flatMap((entry) => {
    const lines = entryLines(entry, indent);
    return entry.condition === undefined ? lines : [`${pad(indent)}{{- if ${entry.condition} }}`, ...lines, `${pad(indent)}{{- end }}`];
  });
}

function sequenceLines(items: readonly Json[], indent: number): string[] {
  return items.flatMap((item): string[] => {
    const block = blockMarker(item);
    if (block !== undefined) return [spliceLine(block, indent)];
    if (isMapping(item) || Array.isArray(item)) {
      const empty = isMapping(item) ? Object.keys(item).length === 0 : item.length === 0;
      if (empty) return [`${pad(indent)}- ${isMapping(item) ? '{}' : '[]'}`];
      const inner = isMapping(item) ? mappingLines(item, indent + 2) : sequenceLines(item as readonly Json[], indent + 2);
      const [first = '', ...rest] = inner;
      const literalFirst = first.startsWith(pad(indent + 2)) && !first.trimStart().startsWith('{{');
      // `- key: v` when the first line is plain YAML; a bare `-` when it is a template action.
      return literalFirst ? [`${pad(indent)}- ${first.slice(indent + 2)}`, ...rest] : [`${pad(indent)}-`, ...inner];
    }
    const [head, ...rest] = scalarLines(item as string | number | boolean | null, indent);
    return [`${pad(indent)}- ${head}`, ...rest];
  });
}

/** One YAML document (a mapping) as Helm template text, optionally rendered only when `condition` holds. */
export function renderTemplate(document: { readonly [key: string]: Json }, condition?: string): string {
  const lines = withMode(true, () => mappingLines(document, 0));
  const body = condition === undefined ? lines : [`{{- if ${condition} }}`, ...lines, '{{- end }}'];
  return `${body.join('\n')}\n`;
}

/** Plain data as YAML lines at column `indent`, for files Helm does not template (values.yaml, crds/). */
export function renderPlainYaml(value: Json, indent: number): string[] {
  return withMode(false, () => {
    if (isMapping(value)) return Object.keys(value).length === 0 ? [`${pad(indent)}{}`] : mappingLines(value, indent);
    if (Array.isArray(value)) return value.length === 0 ? [`${pad(indent)}[]`] : sequenceLines(value, indent);
    const [head, ...rest] = scalarLines(value as string | number | boolean | null, indent);
    return [`${pad(indent)}${head}`, ...rest];
  });
}

// The emitter is synchronous, so a module-level mode switched around each call is safe.
function withMode<T>(mode: boolean, emit: () => T): T {
  const previous = templating;
  templating = mode;
  try {
    return emit();
  } finally {
    templating = previous;
  }
}

export type { Json };
