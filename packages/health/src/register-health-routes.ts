import type { FastifyInstance } from 'fastify';

export interface HealthOptions {
  /** Dependency checks for readiness, by name; each must settle within `timeoutMs`. */
  readonly checks: Readonly<Record<string, () => Promise<unknown>>>;
  /** True once SIGTERM arrived: readiness turns 503 so load balancers drain the instance first. */
  readonly draining: () => boolean;
  /** @default 1000 */
  readonly timeoutMs?: number;
}

/**
 * Liveness and readiness with Kubernetes probe semantics:
 * - `/healthz`: the process serves requests — no dependency checks, so an outage of PostgreSQL or
 *   Redis never gets healthy pods restarted (they reconnect by themselves);
 * - `/readyz`: every dependency answers within the timeout and the process is not draining;
 *   otherwise 503 `application/problem+json` naming what failed.
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  const timeoutMs = options.timeoutMs ?? 1_000;
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness' } }, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );
  app.get('/readyz', { schema: { tags: ['operations'], summary: 'Readiness: dependencies reachable, not draining' } }, async (_request, reply) => {
    const names = Object.keys(options.checks);
    const results = await Promise.all(names.map((name) => probe(options.checks[name]!, timeoutMs)));
    const checks: Record<string, string> = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    checks.shutdown = options.draining() ? 'draining' : 'ok';
    const ready = Object.values(checks).every((state) => state === 'ok');
    reply.header('cache-control', 'no-store');
    if (ready) return reply.send({ status: 'ready', checks });
    return reply
      .code(503)
      .type('application/problem+json')
      .send({ type: 'urn:lanyard:problem:not_ready', title: 'Not ready', status: 503, detail: 'A dependency is unavailable.', checks });
  });
}

async function probe(check: () => Promise<unknown>, timeoutMs: number): Promise<'ok' | 'unavailable'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unavailable'>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), timeoutMs);
  });
  try {
    return await Promise.race([check().then(() => 'ok' as const), timeout]);
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
