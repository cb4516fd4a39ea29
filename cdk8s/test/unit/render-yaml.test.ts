import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { helm } from '../../src/helm/markers.js';
import { renderPlainYaml, renderTemplate } from '../../src/helm/render-yaml.js';

describe('renderTemplate', () => {
  it('writes scalars as Helm expressions: raw, quoted, or embedded in a string', () => {
    expect(renderTemplate({ replicas: helm.value('.Values.replicaCount'), image: helm.quote('.Values.image'), name: `${helm.value('.Release.Name')}-db` })).toBe(
      ['image: {{ .Values.image | quote }}', 'name: "{{ .Release.Name }}-db"', 'replicas: {{ .Values.replicaCount }}', ''].join('\n'),
    );
  });

  it('splices YAML blocks at the indentation of the place they land in', () => {
    const out = renderTemplate({ spec: { resources: helm.block('toYaml .Values.resources'), env: [{ name: 'A', value: 'b' }, helm.block('include "c.env" .')] } });
    expect(out).toBe(
      [
        'spec:',
        '  env:',
        '    - name: A',
        '      value: b',
        '    {{- include "c.env" . | nindent 4 }}',
        '  resources:',
        '    {{- toYaml .Values.resources | nindent 4 }}',
        '',
      ].join('\n'),
    );
  });

  it('splices a mapping next to literal keys (standard labels first)', () => {
    expect(renderTemplate({ labels: { extra: 'x', [helm.spliceKey('include "c.labels" .')]: null } })).toBe(
      ['labels:', '  {{- include "c.labels" . | nindent 2 }}', '  extra: x', ''].join('\n'),
    );
  });

  it('renders a key only when its condition holds, and a whole document under a condition', () => {
    expect(renderTemplate({ spec: { [helm.when('not .Values.hpa', 'replicas')]: 2, paused: false } }, '.Values.enabled')).toBe(
      ['{{- if .Values.enabled }}', 'spec:', '  paused: false', '  {{- if not .Values.hpa }}', '  replicas: 2', '  {{- end }}', '{{- end }}', ''].join('\n'),
    );
  });

  it('starts a list item with a bare dash when its first line is a template action', () => {
    expect(renderTemplate({ items: [{ [helm.when('.Values.x', 'a')]: 1 }] })).toBe(['items:', '  -', '    {{- if .Values.x }}', '    a: 1', '    {{- end }}', ''].join('\n'));
  });

  it('escapes literal braces so Helm prints Grafana and Prometheus templates verbatim', () => {
    expect(renderTemplate({ legend: '{{route}}', description: 'is {{ $value }}' })).toBe(
      ['description: is {{`{{`}} $value {{`}}`}}', 'legend: "{{`{{`}}route{{`}}`}}"', ''].join('\n'),
    );
  });

  it('refuses markers it cannot render faithfully', () => {
    expect(() => renderTemplate({ a: `x-${helm.quote('.Values.y')}` })).toThrow(/must be a whole value/);
    expect(() => renderTemplate({ [`a${helm.value('.Values.k')}`]: 1 })).toThrow(/unsupported marker in mapping key/);
  });
});

describe('renderPlainYaml', () => {
  // Strings YAML 1.1 (Helm, Kubernetes) would otherwise read as booleans, numbers or structure.
  const tricky = { a: ['yes', 'no', 'on', 'n', '0755', '1e3', '8000', '', '- x', 'k: v', '#c', '{}', '  lead\nz', 'tab\tx', 'trailing  \nline\n'], b: { 'x.y/z': true, n: null, e: [], o: {} } };

  it('round-trips data through a YAML 1.1 parser unchanged', () => {
    expect(parse(renderPlainYaml(tricky, 0).join('\n'), { version: '1.1' })).toEqual(tricky);
  });

  it('writes braces as they are, since Helm does not template values.yaml or crds/', () => {
    expect(renderPlainYaml({ legend: '{{route}}' }, 0)).toEqual(['legend: "{{route}}"']);
    expect(() => renderPlainYaml({ a: helm.value('.Values.x') }, 0)).toThrow(/only allowed in templates/);
  });

  it('writes multi-line strings as block literals', () => {
    expect(renderPlainYaml({ data: { 'a.json': '{\n  "x": 1\n}\n' } }, 0)).toEqual(['data:', '  a.json: |', '    {', '      "x": 1', '    }']);
  });
});
