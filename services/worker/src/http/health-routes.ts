import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { WorkerContext } from '../context.js';

const CHECK_TIMEOUT_MS = 1_000;

/**
 * Liveness and readiness (Kubernetes probe semantics):
 * - `/healthz`: the process is up — no dependency checks, so a Redis outage never gets healthy
 *   pods restarted (the workers reconnect by themselves);
 * - `/readyz`: PostgreSQL and Redis answer within a second and we are not shutting down.
 */
export function registerHealthRoutes(app: FastifyInstance, ctx: WorkerContext): void {
  app.get('/healthz', async (_request, reply) => reply.header('cache-control', 'no-store').send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    const [database, redis] = await Promise.all([probe(() => ctx.database.db.execute(sql`select 1`)), probe(() => ctx.redis.ping())]);
    const checks = { database, redis, shutdown: ctx.lifecycle.shuttingDown ? 'draining' : 'ok' };
    const ready = database === 'ok' && redis === 'ok' && !ctx.lifecycle.shuttingDown;
    reply.header('cache-control', 'no-store');
    if (ready) return reply.send({ status: 'ready', checks });
    return reply
      .code(503)
      .type('application/problem+json')
      .send({ type: 'urn:lanyard:problem:not_ready', title: 'Not ready', status: 503, detail: 'A dependency is unavailable.', checks });
  });
}

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unavailable'>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), CHECK_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check().then(() => 'ok' as const), timeout]);
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
