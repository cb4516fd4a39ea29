import type { FastifyInstance } from 'fastify';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { WorkerContext } from '../context.js';
import { basicAuth } from './basic-auth.js';
import { dashboardHeaders } from './dashboard-headers.js';
import { redactEmailJobData } from './redact-email-job-data.js';
import { refuseRedactedEdits } from './refuse-redacted-edits.js';
import { rejectCrossSiteWrites } from './reject-cross-site-writes.js';

/**
 * The bull-board queue dashboard at `/`, for the `email` and `maintenance` queues. It has no auth
 * of its own, so:
 * - with WORKER_DASHBOARD_PASSWORD set, every dashboard route (page, assets, JSON API) requires
 *   HTTP Basic auth and the dashboard may retry, clean or pause;
 * - without it in production (NODE_ENV=production), there is no dashboard: its routes are not
 *   registered, so they answer 404 and only `/metrics` and the probes remain. Queue names, job
 *   counts, errors and tenants are not for anyone who can reach the port;
 * - without it elsewhere (development, test), the dashboard is read-only, so an unauthenticated
 *   visitor can look but not act.
 * Email payloads are redacted either way (and so cannot be edited); state-changing calls must be
 * same-origin; mutating calls are logged as an audit trail. The routes live in their own
 * encapsulated scope, so none of this touches `/metrics` or the probes.
 */
export async function registerDashboard(app: FastifyInstance, ctx: WorkerContext): Promise<void> {
  const password = ctx.config.WORKER_DASHBOARD_PASSWORD;
  if (password === undefined && ctx.config.NODE_ENV === 'production') {
    ctx.log.warn('queue dashboard disabled: WORKER_DASHBOARD_PASSWORD is not set (required in production)');
    return;
  }
  const readOnlyMode = password === undefined;
  const email = new BullMQAdapter(ctx.queues.email, { readOnlyMode, description: 'Outgoing email over SMTP' });
  email.setFormatter('data', redactEmailJobData);
  const maintenance = new BullMQAdapter(ctx.queues.maintenance, { readOnlyMode, description: 'Scheduled cleanup and signing-key rotation' });

  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath('/');
  createBullBoard({ queues: [email, maintenance], serverAdapter, options: { uiConfig: { boardTitle: 'Lanyard worker' } } });

  await app.register(async (scope) => {
    if (password !== undefined) scope.addHook('onRequest', basicAuth(ctx.config.WORKER_DASHBOARD_USER, password, 'Lanyard worker'));
    scope.addHook('onRequest', rejectCrossSiteWrites);
    scope.addHook('onRequest', refuseRedactedEdits([ctx.queues.email.name]));
    scope.addHook('onSend', dashboardHeaders);
    scope.addHook('onResponse', async (request, reply) => {
      if (request.method === 'GET' || request.method === 'HEAD') return;
      request.log.info({ method: request.method, route: request.routeOptions.url, statusCode: reply.statusCode }, 'dashboard action');
    });
    await scope.register(serverAdapter.registerPlugin());
  });
}
