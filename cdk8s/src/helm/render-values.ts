import { renderPlainYaml } from './render-yaml.js';
import type { ObjectSpec, ValueSpec } from './values-spec.js';

const comment = (text: string, indent: number): string[] => text.split('\n').map((line) => `${' '.repeat(indent)}# ${line}`.trimEnd());

function entryLines(key: string, spec: ValueSpec, indent: number): string[] {
  const lines = comment(spec.description, indent);
  const head = `${' '.repeat(indent)}${key}:`;
  if (spec.kind === 'object') return [...lines, head, ...Object.entries(spec.properties).flatMap(([k, child]) => entryLines(k, child, indent + 2))];
  const value = spec.default;
  const isCollection = value !== null && typeof value === 'object';
  if (!isCollection || (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)) {
    return [...lines, `${head} ${renderPlainYaml(value, 0).join('\n').trim()}`];
  }
  return [...lines, head, ...renderPlainYaml(value, indent + 2)];
}

/** values.yaml: every default, each preceded by its description as a comment. */
export function renderValues(spec: ObjectSpec, header: string): string {
  const lines = [
    ...comment(header, 0),
    ...Object.entries(spec.properties).flatMap(([key, child]) => ['', ...entryLines(key, child, 0)]),
  ];
  return `${lines.join('\n')}\n`;
}
