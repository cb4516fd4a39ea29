import type { FastifyInstance } from 'fastify';

/**
 * Headers every response carries, whatever produced it (route, error handler, static files):
 * - `X-Content-Type-Options: nosniff`, so no response is ever sniffed into script or HTML;
 * - admin API responses (user lists with emails, client registrations) are `no-store`: they must
 *   not sit in a shared or browser cache (RFC 9111 §5.2.2.5).
 * Pages set their own CSP and framing headers (`pages/page-headers.ts`).
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.url.startsWith('/admin/')) reply.header('cache-control', 'no-store');
  });
}
