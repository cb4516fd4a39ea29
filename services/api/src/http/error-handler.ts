import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  HttpProblem,
  InvalidRequest,
  isLanyardError,
  isOAuthError,
  MethodNotAllowedProblem,
  NotFoundProblem,
  ProblemError,
  ServerError,
  TemporarilyUnavailable,
  ValidationProblem,
  type InvalidParam,
  type LanyardError,
  type OAuthError,
} from '@lanyard/errors';
import { NO_CONTROL_CHARACTERS } from '@lanyard/contracts';
import { isDatabaseUnavailable } from '@lanyard/db';
import type { ErrorFormat } from './error-format.js';
import type { RouteIndex } from './route-index.js';
import { RedisUnavailable } from '../infra/redis-guard.js';
import { renderErrorPage } from '../pages/render-error-page.js';

/**
 * The single place where errors become responses. Deliberate errors keep their status and (for 4xx)
 * their message; anything else is a 500 with a generic message, logged with its stack. `detail` is
 * logged, never sent (node-oidc-provider's error_detail). Unknown paths are 404; a known path with
 * a method it does not serve is 405 with `Allow` (RFC 9110 §15.5.6).
 */
export function registerErrorHandler(app: FastifyInstance, routes: RouteIndex): void {
  const notFound = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '';
    const known = routes.lookup(path);
    // A route that served this method and found nothing (reply.callNotFound) is a plain 404.
    if (known.methods.length > 0 && !known.methods.includes(request.method)) return send(reply, request, known.errorFormat, new MethodNotAllowedProblem(request.method, known.methods));
    return send(reply, request, 'problem', new NotFoundProblem('No such resource.', { detail: `${request.method} ${path.slice(0, 200)}` }));
  };

  app.setErrorHandler((raw: FastifyError | Error, request, reply) => {
    // No route serves this method and path, but Fastify checks a body before the not-found handler
    // runs (a QUERY without Content-Type, a media type nothing parses, a body too large): the
    // answer is still that the resource or method does not exist, 404 or 405 with `Allow`.
    if (request.is404 && isClientError(raw)) return notFound(request, reply);
    const format: ErrorFormat = request.routeOptions.config?.errorFormat ?? 'problem';
    const error = normalize(raw, format);
    logError(request, raw, error.error);
    if (error.redirect !== undefined) return reply.redirect(error.redirect, 303);
    return send(reply, request, format, error.error);
  });

  app.setNotFoundHandler(notFound);
}

/** An error the HTTP layer raised about the request itself (4xx), not one of ours. */
const isClientError = (raw: FastifyError | Error): boolean => {
  const status = (raw as FastifyError).statusCode;
  return !isLanyardError(raw) && status !== undefined && status >= 400 && status < 500;
};

/**
 * Fastify's `frameworkErrors` option: errors its router raises before any route or hook runs — a
 * path that is not valid percent-encoding (FST_ERR_BAD_URL, 400) or a path parameter longer than
 * `routerOptions.maxParamLength` (FST_ERR_MAX_PARAM_LENGTH, 414). Without it Fastify writes its own
 * `application/json` body; with it they are problem details like every other client error.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = new HttpProblem(error.statusCode ?? 400, error.code === 'FST_ERR_BAD_URL' ? 'The request path is not valid percent-encoding.' : 'A path segment is too long.', {
    detail: error.code,
  });
  logError(request, error, problem);
  return send(reply, request, 'problem', problem);
}

/** How long a client is asked to wait when PostgreSQL or Redis is unreachable: about a restart. */
const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** An error that the authorization endpoint may deliver to the client's redirect URI (RFC 6749 §4.1.2.1). */
export interface RedirectableError {
  readonly redirectTo: string;
}

function normalize(raw: FastifyError | Error, format: ErrorFormat): { error: LanyardError; redirect?: string } {
  const redirect = (raw as Partial<RedirectableError>).redirectTo;
  if (isLanyardError(raw)) return redirect === undefined ? { error: raw } : { error: raw, redirect };
  const fastifyError = raw as FastifyError;
  if (fastifyError.validation !== undefined) {
    const params: InvalidParam[] = fastifyError.validation.map((v) => ({
      name: fieldName(fastifyError.validationContext, v.instancePath, v.params as Record<string, unknown>),
      reason: (v.params as { pattern?: string }).pattern === NO_CONTROL_CHARACTERS ? 'must not contain control characters' : (v.message ?? 'is invalid'),
    }));
    const first = params[0]!;
    const message = `${first.name} ${first.reason}`;
    return { error: format === 'oauth' ? new InvalidRequest(message) : new ValidationProblem(message, params) };
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // The HTTP layer's own client errors: unsupported media type, malformed JSON, body too large.
    const message = fastifyError.message.slice(0, 300);
    return { error: format === 'oauth' ? new InvalidRequest(message, { detail: fastifyError.code }) : new HttpProblem(status, message, { detail: fastifyError.code }) };
  }
  if (isDatabaseUnavailable(raw) || raw instanceof RedisUnavailable) {
    // The request was fine; PostgreSQL or Redis was not (docs/reliability.md). 503 with
    // Retry-After tells clients to come back, where a 500 would read as a bug.
    const headers = { 'retry-after': String(DEPENDENCY_RETRY_AFTER_SECONDS) };
    const message = 'The service is temporarily unavailable; retry shortly.';
    return { error: format === 'oauth' ? new TemporarilyUnavailable(message, { headers }) : new ProblemError('unavailable', 503, 'Service unavailable', message, { headers }) };
  }
  return { error: format === 'oauth' ? new ServerError() : new ProblemError('internal', 500, 'Internal server error', 'An unexpected error occurred.') };
}

/** `/body/redirectUris/0`, or the missing/extra property for `required`/`additionalProperties` failures. */
function fieldName(context: string | undefined, instancePath: string, params: Record<string, unknown>): string {
  const prop = params.missingProperty ?? params.additionalProperty;
  const path = typeof prop === 'string' ? `${instancePath}/${prop}` : instancePath;
  return `${context ?? 'body'}${path === '' ? '' : path}`;
}

function send(reply: FastifyReply, request: FastifyRequest, format: ErrorFormat, error: LanyardError) {
  const message = error.expose ? error.message : 'An unexpected error occurred.';
  const problem = error instanceof ProblemError ? error : undefined;
  for (const [name, value] of Object.entries(problem?.headers ?? (isOAuthError(error) ? error.headers : {}))) reply.header(name, value);
  if (format === 'oauth' && isOAuthError(error)) return sendOAuth(reply, error, message);
  if (format === 'html') {
    return reply
      .code(error.status)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(renderErrorPage(error.status, isOAuthError(error) ? error.code : 'error', message, reply));
  }
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .type('application/problem+json')
    .send({
      type: problem?.type ?? `urn:lanyard:problem:${error.code}`,
      title: problem?.title ?? (error.status >= 500 ? 'Internal server error' : 'Request failed'),
      status: error.status,
      detail: message,
      instance: `urn:lanyard:request:${request.id}`,
      ...(problem?.invalidParams === undefined ? {} : { invalidParams: problem.invalidParams }),
    });
}

function sendOAuth(reply: FastifyReply, error: OAuthError, message: string) {
  // RFC 6749 §5.1/§5.2: responses carrying (or about) credentials must not be cached.
  return reply
    .code(error.status)
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .type('application/json; charset=utf-8')
    .send({ error: error.code, error_description: message });
}

function logError(request: FastifyRequest, raw: Error, error: LanyardError) {
  const fields = { ...request.logFields, code: error.code, status: error.status, detail: error.detail };
  if (error.status >= 500) request.log.error({ ...fields, err: raw }, 'request failed');
  else request.log.info(fields, 'request rejected');
}
