import type { FastifyInstance } from 'fastify';
import type { ApiMetrics } from '@lanyard/metrics';

/**
 * One log line and one histogram observation per request. The route label is the route *pattern*
 * (`/tenants/:tenant/oauth2/token`), never the raw URL, so tenants and ids cannot explode
 * cardinality; unmatched requests share one label.
 */
export function registerRequestTelemetry(app: FastifyInstance, metrics: ApiMetrics): void {
  // Callback-style: an async hook costs each request a promise and a microtask turn.
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    metrics.httpDuration.observe({ method: request.method, route, status_code: String(reply.statusCode) }, seconds);
    if (route !== '/metrics' && route !== '/healthz' && route !== '/readyz') {
      request.log.info(
        { ...request.logFields, method: request.method, route, statusCode: reply.statusCode, responseTimeMs: Math.round(reply.elapsedTime * 100) / 100 },
        'request completed',
      );
    }
    done();
  });
}
