import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderValues } from '../../src/helm/render-values.js';
import { defaultsOf, hasValuePath, v, valuesSchema } from '../../src/helm/values-spec.js';

const spec = v.object('root', {
  replicaCount: v.int(2, 'Number of pods.', { minimum: 1 }),
  image: v.object('The image.', { tag: v.string('', 'Tag; empty means appVersion.') }),
  config: v.free({ LOG_LEVEL: 'info' }, 'Environment.', { type: 'object', additionalProperties: { type: 'string' } }),
});

describe('values spec', () => {
  it('derives the defaults', () => {
    expect(defaultsOf(spec)).toEqual({ replicaCount: 2, image: { tag: '' }, config: { LOG_LEVEL: 'info' } });
  });

  it('derives a closed schema: unknown keys are errors, free-form values keep their own schema', () => {
    const schema = valuesSchema(spec, 'chart');
    expect(schema).toMatchObject({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      additionalProperties: false,
      required: ['replicaCount', 'image', 'config'],
      properties: {
        replicaCount: { type: 'integer', minimum: 1, description: 'Number of pods.' },
        image: { type: 'object', additionalProperties: false, properties: { tag: { type: 'string' } } },
        config: { type: 'object', additionalProperties: { type: 'string' } },
        global: { type: 'object' },
      },
    });
  });

  it('knows which .Values paths exist', () => {
    expect(hasValuePath(spec, ['image', 'tag'])).toBe(true);
    expect(hasValuePath(spec, ['config', 'ANYTHING'])).toBe(true);
    expect(hasValuePath(spec, ['image', 'digest'])).toBe(false);
    expect(hasValuePath(spec, ['replicaCount', 'x'])).toBe(false);
  });

  it('writes values.yaml with every description as a comment, parsing back to the defaults', () => {
    const text = renderValues(spec, 'Header.');
    expect(text).toContain('# Number of pods.\nreplicaCount: 2');
    expect(text).toContain('  # Tag; empty means appVersion.\n  tag: ""');
    expect(parse(text)).toEqual(defaultsOf(spec));
  });
});
