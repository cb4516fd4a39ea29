import type { TSchema } from '@sinclair/typebox';

/**
 * The admin API's conventions as route schemas, in one place so that the OpenAPI document at
 * `/docs/json` states them the same way for every operation: bearer security, the problem
 * responses (RFC 9457, `application/problem+json`, with the headers each one carries) and the
 * success bodies. `scripts/ensure-schemathesis.sh` + `test/integration/fuzz/` hold the server to it.
 */

/** Every admin operation needs a bearer token with `lanyard:admin` (admin-auth.ts). */
export const security = [{ adminToken: ['lanyard:admin'] }];

/**
 * A response header in the document. `required: true` means the server always sends it; OpenAPI
 * keeps that flag on the header object, not in its schema, which `openapi.ts` takes care of.
 */
interface ResponseHeader {
  readonly type: 'string';
  readonly description: string;
  readonly pattern?: string;
  readonly required?: boolean;
}

const problem = (description: string, headers?: Record<string, ResponseHeader>) => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
});

const challenge = (description: string): Record<string, ResponseHeader> => ({
  'www-authenticate': { type: 'string', pattern: '^Bearer realm="lanyard-admin"', description, required: true },
});

/**
 * What any admin operation may answer besides its success (docs/reference/admin-api.md#errors),
 * always `application/problem+json`. Routes add {@link bodyErrors} when Fastify reads a body.
 */
export const errors = {
  400: problem('Validation failed (`validation_failed`, with `invalidParams` naming each field), or a malformed JSON body (`bad_request`).'),
  401: problem('Missing, malformed, invalid, expired or revoked bearer token.', challenge('RFC 6750 §3 challenge; `error` says why when a token was sent.')),
  403: problem('The token lacks the `lanyard:admin` scope.', challenge('RFC 6750 §3.1 `insufficient_scope`.')),
  404: problem('The tenant, client, secret, user, consent or session does not exist.'),
  409: problem('The request conflicts with the current state (see each operation).'),
  414: problem('A path segment is longer than the router accepts (1024 characters), before any validation.'),
  500: problem('Unexpected server error; `detail` is generic and the cause is only logged.'),
  503: problem('PostgreSQL or Redis is unreachable, or the `system` tenant is not initialised yet.', {
    'retry-after': { type: 'string', pattern: '^[0-9]+$', description: 'Seconds to wait before retrying, when a dependency is down.' },
  }),
};

/** What any request that Fastify reads a body for (every method but GET) may also answer. */
export const bodyErrors = {
  413: problem('The request body is larger than 64 KiB.'),
  415: problem('The request body is not `application/json`.'),
};

/** A JSON success body, with the headers it always carries. */
export const json = <T extends TSchema>(description: string, schema: T, headers?: Record<string, ResponseHeader>) => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/json': { schema } },
});

/** The `Location` of a resource a POST created. */
export const location = (description: string): Record<string, ResponseHeader> => ({
  location: { type: 'string', pattern: '^/admin/v1/tenants/', description, required: true },
});
