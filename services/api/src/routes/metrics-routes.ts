import type { FastifyInstance } from 'fastify';
import type { Registry } from '@lanyard/metrics';

/** Prometheus exposition of the API's registry. */
export function registerMetricsRoute(app: FastifyInstance, deps: { readonly registry: Registry }): void {
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
  );
}
