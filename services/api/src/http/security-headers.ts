import type { FastifyInstance } from 'fastify';

/**
 * Headers every response carries, whatever produced it (route, error handler, static files):
 * - `X-Content-Type-Options: nosniff`, so no response is ever sniffed into script or HTML;
 * - admin API responses (user lists with emails, client registrations) are `no-store`: they must
 *   not sit in a shared or browser cache (RFC 9111 §5.2.2.5).
 * Pages set their own CSP and framing headers (`pages/page-headers.ts`).
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  // Callback-style (like every hook on the hot path): an async hook costs each request a promise
  // and a microtask turn in Fastify's hook runner.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/admin/')) reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
