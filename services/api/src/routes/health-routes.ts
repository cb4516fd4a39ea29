import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '@lanyard/db';
import { registerHealthRoutes as register } from '@lanyard/health';
import type { Redis } from 'ioredis';

export interface HealthRoutesDeps {
  readonly database: Pick<DatabaseHandle, 'ping'>;
  readonly redis: Pick<Redis, 'ping'>;
  /** Set when SIGTERM arrives. */
  readonly lifecycle: { readonly shuttingDown: boolean };
}

/** `/healthz` and `/readyz`: ready when PostgreSQL and Redis answer and we are not draining. */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthRoutesDeps): void {
  register(app, {
    checks: { database: () => deps.database.ping(), redis: () => deps.redis.ping() },
    draining: () => deps.lifecycle.shuttingDown,
  });
}
