import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ValidationProblem, type InvalidParam } from '@lanyard/errors';

type JsonType = 'string' | 'number' | 'boolean' | 'null' | 'array' | 'object';

/** Each request's body as parsed, before schema validation could change it. */
const asSent = new WeakMap<FastifyRequest, unknown>();

/**
 * The admin API takes JSON bodies as sent: a value is valid only with the JSON type it has. The
 * server's Ajv coerces types (`coerceTypes`, which query strings need: `?limit=50` is text) and,
 * left alone, would store `"invitedBy": false` as the name `"false"`, `"displayName": 7` as `"7"`,
 * a lone string as a one-item list, and `"managedBy": ""` (too short for a string) as `null`.
 * So the body is copied before validation, and after it every value whose JSON type validation
 * changed is refused: 400 `validation_failed` naming `body/…`, as a schema failure would be.
 * Defaults validation adds (absent fields) are not values that were sent and stay.
 */
export function registerStrictJsonTypes(scope: FastifyInstance): void {
  scope.addHook('preValidation', async (request) => {
    if (request.routeOptions.schema?.body !== undefined && request.body !== undefined) asSent.set(request, structuredClone(request.body));
  });
  scope.addHook('preHandler', async (request) => {
    if (!asSent.has(request)) return;
    const invalid: InvalidParam[] = [];
    collectConversions(asSent.get(request), request.body, '', invalid);
    asSent.delete(request);
    if (invalid.length > 0) throw new ValidationProblem(`${invalid[0]!.name} ${invalid[0]!.reason}`, invalid);
  });
}

function jsonTypeOf(value: unknown): JsonType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as 'string' | 'number' | 'boolean' | 'object';
}

function collectConversions(sent: unknown, validated: unknown, path: string, invalid: InvalidParam[]): void {
  const sentType = jsonTypeOf(sent);
  const validatedType = jsonTypeOf(validated);
  if (sentType !== validatedType) {
    invalid.push({ name: `body${path}`, reason: `is not valid as a JSON ${sentType}: the schema would only accept it converted to ${validatedType}` });
    return;
  }
  if (sentType === 'array') {
    (sent as unknown[]).forEach((item, index) => collectConversions(item, (validated as unknown[])[index], `${path}/${index}`, invalid));
  } else if (sentType === 'object') {
    for (const [key, value] of Object.entries(sent as Record<string, unknown>)) collectConversions(value, (validated as Record<string, unknown>)[key], `${path}/${key}`, invalid);
  }
}
