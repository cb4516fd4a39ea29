import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual, randomToken, tokenHash } from '@lanyard/security';
import { BROWSER_BINDING_COOKIE, bindingCookieOptions } from '../cookies.js';

/**
 * The hash of this browser's binding cookie, creating the cookie if needed. Interactions store the
 * hash; their forms only work in the browser that holds the cookie.
 */
export function browserBindingHash(request: FastifyRequest, reply: FastifyReply, tenant: string): string {
  return tokenHash(browserBinding(request, reply, tenant)).toString('base64url');
}

/** This browser's binding cookie value, set now if it has none (or a malformed one). */
export function browserBinding(request: FastifyRequest, reply: FastifyReply, tenant: string): string {
  let value = request.cookies[BROWSER_BINDING_COOKIE];
  if (value === undefined || !/^[A-Za-z0-9_-]{43}$/.test(value)) {
    value = randomToken(32);
    reply.setCookie(BROWSER_BINDING_COOKIE, value, bindingCookieOptions(tenant));
  }
  return value;
}

/** True when the request comes from the browser the interaction is bound to. */
export function isSameBrowser(request: FastifyRequest, expectedHash: string): boolean {
  const value = request.cookies[BROWSER_BINDING_COOKIE];
  return value !== undefined && constantTimeEqual(tokenHash(value).toString('base64url'), expectedHash);
}
