import type { FastifyInstance } from 'fastify';
import type { WorkerContext } from '../context.js';

/**
 * Prometheus exposition of the worker's registry. Open like the API's `/metrics` (Prometheus
 * scrapes it in-cluster); it carries counts and durations only, no job data.
 */
export function registerMetricsRoute(app: FastifyInstance, ctx: WorkerContext): void {
  app.get('/metrics', async (_request, reply) =>
    reply.type(ctx.registry.contentType).header('cache-control', 'no-store').send(await ctx.registry.metrics()),
  );
}
