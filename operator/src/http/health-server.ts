import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from '@lanyard/metrics';

/** What the probes look at. */
export interface HealthSource {
  /** Every watch has listed once (the operator can act on the cluster). */
  readonly ready: boolean;
}

/**
 * `/metrics`, `/healthz` and `/readyz` on OPERATOR_PORT (docs/reference/ports.md). Liveness only
 * says the event loop answers; readiness waits for the watches, so a rollout does not count an
 * instance as up before it can see the cluster. Never listens by itself (server.ts does).
 */
export function buildHealthServer(registry: Registry, source: HealthSource): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => reply.header('content-type', registry.contentType).send(await registry.metrics()));
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => (source.ready ? { status: 'ready' } : reply.code(503).send({ status: 'starting' })));
  return app;
}
