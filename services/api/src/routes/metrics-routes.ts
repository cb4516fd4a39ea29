import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.js';

/** Prometheus exposition of the API's registry. */
export function registerMetricsRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get('/metrics', { schema: { tags: ['operations'], summary: 'Prometheus metrics' } }, async (_request, reply) =>
    reply.type(ctx.registry.contentType).send(await ctx.registry.metrics()),
  );
}
