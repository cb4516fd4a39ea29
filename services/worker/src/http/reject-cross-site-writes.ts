import type { FastifyReply, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * An `onRequest` hook against cross-site request forgery on the dashboard's actions (retry, clean,
 * pause, …): browsers resend Basic credentials to any page that posts to us, so a state-changing
 * request must come from our own origin. `Sec-Fetch-Site` (Fetch Metadata) settles it in current
 * browsers; `Origin` covers the others. Non-browser clients send neither and are let through.
 */
export async function rejectCrossSiteWrites(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  const origin = request.headers.origin;
  const crossSite = (site !== undefined && site !== 'same-origin' && site !== 'none') || (origin !== undefined && !sameHost(origin, request.host));
  if (!crossSite) return;
  await reply
    .code(403)
    .type('application/problem+json')
    .send({ type: 'about:blank', title: 'Forbidden', status: 403, detail: 'Cross-site requests may not change queues.' });
}

function sameHost(origin: string, host: string): boolean {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
