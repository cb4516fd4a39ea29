import type { FastifyError, FastifyInstance } from 'fastify';

/**
 * Errors outside the dashboard (which has its own handler) as `application/problem+json`
 * (RFC 9457): client errors keep their message, server errors are logged and answered generically.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply
      .code(status)
      .type('application/problem+json')
      .send({ type: 'about:blank', title: status >= 500 ? 'Internal Server Error' : error.message, status });
  });
}
