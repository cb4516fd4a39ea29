import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '@lanyard/logger';
import type { Registry } from '@lanyard/metrics';
import { registerMetricsRoute } from './routes/metrics-routes.js';

/**
 * The operational listener on METRICS_PORT: `/metrics` and nothing else. Kept apart from the public
 * listener because the exposition names every tenant and client, and an Ingress in front of PORT
 * routes `/` (docs/reference/ports.md). Like `app.ts`, it never listens itself.
 */
export async function buildMetricsApp(deps: { readonly registry: Registry; readonly log: Logger }): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
  });
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff').header('cache-control', 'no-store');
  });
  registerMetricsRoute(app, deps);
  await app.ready();
  return app;
}
