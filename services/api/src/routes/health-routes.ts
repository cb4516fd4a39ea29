import type { FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import { registerHealthRoutes as register } from '@lanyard/health';
import type { AppContext } from '../context.js';

/** `/healthz` and `/readyz`: ready when PostgreSQL and Redis answer and we are not draining. */
export function registerHealthRoutes(app: FastifyInstance, ctx: AppContext): void {
  register(app, {
    checks: { database: () => ctx.database.db.execute(sql`select 1`), redis: () => ctx.redis.ping() },
    draining: () => ctx.lifecycle.shuttingDown,
  });
}
