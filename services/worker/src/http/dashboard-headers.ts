import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The bull-board UI needs only its own scripts, styles (it sets inline styles) and JSON API. The
 * policy forbids everything else, including the Google Fonts stylesheet its page links (the UI falls
 * back to system fonts rather than tell a third party when an operator looks at our queues), and
 * any framing (clickjacking of the dashboard's buttons).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * An `onSend` hook with the dashboard's security headers. Its HTML and JSON show job data, so
 * nothing but the fingerprinted static assets may be cached.
 */
export async function dashboardHeaders(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cross-origin-resource-policy', 'same-origin');
  if (!request.url.startsWith('/static/')) reply.header('cache-control', 'no-store');
}
