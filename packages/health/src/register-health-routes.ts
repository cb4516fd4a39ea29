import type { FastifyInstance } from 'fastify';

export interface HealthOptions {
  /** Dependency checks for readiness, by name; each must settle within `timeoutMs`. */
  readonly checks: Readonly<Record<string, () => Promise<unknown>>>;
  /**
   * Dependencies the process keeps serving without (in a degraded mode): reported by name, but
   * their failure leaves the instance ready with `status: "degraded"`. A dependency every replica
   * shares belongs here when losing it must not empty the load balancer. @default none
   */
  readonly degradable?: Readonly<Record<string, () => Promise<unknown>>>;
  /** True once SIGTERM arrived: readiness turns 503 so load balancers drain the instance first. */
  readonly draining: () => boolean;
  /** @default 1000 */
  readonly timeoutMs?: number;
}

/**
 * Liveness and readiness with Kubernetes probe semantics:
 * - `/healthz`: the process serves requests — no dependency checks, so an outage of PostgreSQL or
 *   Redis never gets healthy pods restarted (they reconnect by themselves);
 * - `/readyz`: every required dependency answers within the timeout and the process is not
 *   draining; otherwise 503 `application/problem+json` naming what failed. A degradable
 *   dependency that fails turns `status` to `degraded`, still 200.
 */
export function registerHealthRoutes(app: FastifyInstance, options: HealthOptions): void {
  const timeoutMs = options.timeoutMs ?? 1_000;
  app.get('/healthz', { schema: { tags: ['operations'], summary: 'Liveness' } }, async (_request, reply) =>
    reply.header('cache-control', 'no-store').send({ status: 'ok' }),
  );
  app.get('/readyz', { schema: { tags: ['operations'], summary: 'Readiness: dependencies reachable, not draining' } }, async (_request, reply) => {
    const all = { ...options.checks, ...options.degradable };
    const names = Object.keys(all);
    const results = await Promise.all(names.map((name) => probe(all[name]!, timeoutMs)));
    const checks: Record<string, string> = Object.fromEntries(names.map((name, i) => [name, results[i]!]));
    checks.shutdown = options.draining() ? 'draining' : 'ok';
    const failed = Object.entries(checks).filter(([, state]) => state !== 'ok').map(([name]) => name);
    const ready = failed.every((name) => options.degradable?.[name] !== undefined);
    reply.header('cache-control', 'no-store');
    if (ready) return reply.send({ status: failed.length === 0 ? 'ready' : 'degraded', checks });
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
