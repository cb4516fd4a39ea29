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

/**
 * `/healthz` and `/readyz`: ready when PostgreSQL answers and we are not draining. Redis is
 * reported but degradable (docs/reliability.md): without it tokens still flow and limits fall back
 * to per-process counters, while what needs it answers 503 at once; every replica shares Redis, so
 * failing readiness on it would take the whole API out of its load balancer.
 */
export function registerHealthRoutes(app: FastifyInstance, deps: HealthRoutesDeps): void {
  register(app, {
    checks: { database: () => deps.database.ping() },
    degradable: { redis: () => deps.redis.ping() },
    draining: () => deps.lifecycle.shuttingDown,
  });
}
