import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiMetrics } from '@lanyard/metrics';
import type { Tenant } from '@lanyard/db';
import { ProblemError } from '@lanyard/errors';
import { rateLimitPolicies, type RateLimitConfig } from '../domain/rate-limit/rate-limit-policies.js';
import { ipNetwork } from '../domain/rate-limit/ip-network.js';
import type { RateLimiter } from '../domain/rate-limit/sliding-window-limiter.js';
import { rateLimitHeaders } from '../http/rate-limit-headers.js';
import { applyPageHeaders } from '../pages/page-headers.js';
import type { PageTenant } from '../pages/account-pages.js';
import { OAuthParams } from '../oauth/read-form.js';

/** Route options of every hosted page: errors render as HTML, and pages stay out of the OpenAPI document. */
export const PAGE_ROUTE = { config: { errorFormat: 'html' as const }, schema: { hide: true } };

/** Links and form actions on pages are origin-relative, like those of the sign-in pages. */
export const pageBase = (tenant: Tenant) => `/tenants/${tenant.name}`;

export const pageTenant = (tenant: Tenant): PageTenant => ({ tenant: tenant.name, tenantDisplayName: tenant.displayName });

/**
 * Sends a hosted page with the page security headers (CSP, frame-ancestors, no-store, no
 * referrer); `scriptNonce` for a page that carries the passkey script.
 */
export function sendPage(reply: FastifyReply, page: string, status = 200, scriptNonce?: string, formAction: readonly string[] = []): FastifyReply {
  applyPageHeaders(reply, formAction, scriptNonce);
  return reply.code(status).type('text/html; charset=utf-8').send(page);
}

/** Post/Redirect/Get: a successful POST answers 303, so a reload never submits twice. */
export function seeOther(reply: FastifyReply, location: string, formAction: readonly string[] = []): FastifyReply {
  applyPageHeaders(reply, formAction);
  return reply.redirect(location, 303);
}

/** The form fields of a POST (same rules as OAuth forms: no control characters, bounded length, no repeats). */
export const readForm = (request: FastifyRequest) => OAuthParams.from(request.body as Record<string, unknown>);

/** A query parameter of a GET, with the same rules. */
export const readQuery = (request: FastifyRequest) => OAuthParams.from(request.query as Record<string, unknown>);

/** The shape we accept as an address; the mailbox itself proves the rest. */
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,252}\.[^\s@]{1,63}$/u;
export const looksLikeEmail = (value: string) => value.length <= 254 && EMAIL.test(value);

export interface AccountRequestLimitDeps {
  readonly limiter: RateLimiter;
  readonly config: RateLimitConfig;
  readonly metrics: Pick<ApiMetrics, 'rateLimited'>;
}

/**
 * Charges one self-service request (sign-up, forgot password, resend) to the client's network;
 * over the limit the page answers 429 with `Retry-After`, before any work or email.
 */
export async function chargeAccountRequest(deps: AccountRequestLimitDeps, request: FastifyRequest, tenant: Tenant): Promise<void> {
  const decision = await deps.limiter.hit(rateLimitPolicies(deps.config, tenant).accountRequests, `${tenant.id}:${ipNetwork(request.ip)}`);
  if (decision.allowed) return;
  deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: decision.policy.name });
  throw new ProblemError('rate_limited', 429, 'Too many requests', 'Too many requests from your network. Try again in a few minutes.', { headers: rateLimitHeaders([decision]) });
}
