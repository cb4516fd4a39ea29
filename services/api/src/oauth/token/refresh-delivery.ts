import type { FastifyReply, FastifyRequest } from 'fastify';
import { InvalidRequest } from '@lanyard/errors';
import type { RegisteredClient } from '../../domain/clients/client-service.js';
import { refreshCookieName, refreshCookieOptions } from '../cookies.js';

/** Header a browser must send with a cookie-borne refresh; a custom header forces a CORS preflight. */
export const CSRF_HEADER = 'x-csrf-token';

/**
 * How a client receives refresh tokens (docs/reference/tokens.md):
 * - confidential clients and native public clients (no `Origin`): in the response body;
 * - browser public clients (an `Origin` on their CORS allow-list): only as an HttpOnly cookie, so
 *   script on the page — including injected script — can never read the token;
 * - a public client calling from an origin it did not register is refused.
 */
export function refreshDelivery(request: FastifyRequest, client: RegisteredClient): 'cookie' | 'body' {
  if (client.type === 'confidential') return 'body';
  const origin = request.headers.origin;
  if (origin === undefined) return 'body';
  if (!client.allowedCorsOrigins.includes(origin)) throw new InvalidRequest('This origin is not allowed for the client.', { detail: `origin ${origin.slice(0, 200)}` });
  return 'cookie';
}

/**
 * Checks a refresh that relies on the cookie: the Origin must be allowed for the client and the
 * CSRF header present — a cross-site form or image cannot set a custom header, and a cross-origin
 * script cannot send one without a preflight we only answer for allowed origins.
 */
export function checkCookieRefresh(request: FastifyRequest, client: RegisteredClient): void {
  const origin = request.headers.origin;
  if (origin === undefined || !client.allowedCorsOrigins.includes(origin)) {
    throw new InvalidRequest('A cookie-based refresh must come from an allowed origin.', { detail: `origin ${String(origin).slice(0, 200)}` });
  }
  const csrf = request.headers[CSRF_HEADER];
  if (typeof csrf !== 'string' || csrf.trim() === '') throw new InvalidRequest(`A cookie-based refresh needs the ${CSRF_HEADER} header.`);
}

/** Sets the refresh cookie for a browser client; SameSite=Strict when the app shares our host. */
export function setRefreshCookie(request: FastifyRequest, reply: FastifyReply, tenant: string, client: RegisteredClient, token: string, maxAgeSeconds: number, publicUrl: string): void {
  const origin = request.headers.origin ?? '';
  const sameHost = safeHost(origin) === safeHost(publicUrl);
  reply.setCookie(refreshCookieName(client.clientId), token, refreshCookieOptions(tenant, Math.max(1, Math.floor(maxAgeSeconds)), sameHost ? 'strict' : 'none'));
}

function safeHost(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
