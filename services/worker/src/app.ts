import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { WorkerContext } from './context.js';
import { registerDashboard } from './http/register-dashboard.js';
import { registerErrorHandler } from './http/error-handler.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { registerMetricsRoute } from './http/metrics-route.js';

/**
 * The worker's HTTP side as a Fastify instance that never listens (fastify/demo's app/server
 * split): the queue dashboard at `/` (absent in production without a password, see
 * `registerDashboard`), `/metrics`, `/healthz` and `/readyz`. `server.ts` listens; tests call
 * `inject`.
 */
export async function buildApp(ctx: WorkerContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // Probes, scrapes and the dashboard's polling would flood the log; dashboard actions log themselves.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 64 * 1024,
    return503OnClosing: true,
  });
  registerErrorHandler(app);
  registerHealthRoutes(app, ctx);
  registerMetricsRoute(app, ctx);
  await registerDashboard(app, ctx);
  return app;
}
