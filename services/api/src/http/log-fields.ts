import type { FastifyInstance } from 'fastify';

/**
 * Context that log lines of a request should carry (`tenant`, `clientId`, …; docs/reference/logs.md).
 * Kept as plain fields rather than a pino child logger per request: creating a child runs the
 * redaction over its bindings, which cost ~12 % of the token endpoint's CPU.
 */
export type LogFields = Readonly<Record<string, string>>;

declare module 'fastify' {
  interface FastifyRequest {
    logFields: LogFields | null;
  }
}

export function registerLogFields(app: FastifyInstance): void {
  app.decorateRequest('logFields', null);
}

/** Adds fields to what this request's log lines carry. */
export function addLogFields(request: { logFields: LogFields | null }, fields: LogFields): void {
  request.logFields = request.logFields === null ? fields : { ...request.logFields, ...fields };
}
