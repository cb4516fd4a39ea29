import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler } from 'fastify';

/**
 * Ajv options of every route. `coerceTypes` is what query strings, path parameters and form
 * posts need: they are text (`?limit=50`), and the schema says what they mean.
 */
export const AJV_OPTIONS = { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true } as const;

/**
 * For scopes that take JSON bodies (the admin API): the body is validated as sent, without
 * coercion, since JSON carries its own types: `"invitedBy": false` or `"displayName": 7` must be
 * refused, not stored as the text "false" or "7", and a lone string is not a one-item list. Every
 * other part of the request keeps {@link AJV_OPTIONS}.
 */
export function jsonBodyValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const build = AjvCompiler();
  const coercing = build({}, { customOptions: AJV_OPTIONS });
  const asSent = build({}, { customOptions: { ...AJV_OPTIONS, coerceTypes: false } });
  return (route) => (route.httpPart === 'body' ? asSent : coercing)(route as Parameters<typeof asSent>[0]);
}
