import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { SecondFactors } from '../domain/mfa/second-factors.js';
import type { ActiveSession, SessionService } from '../domain/sessions/session-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { AMR_MFA } from '../domain/tokens/authentication-context.js';
import { SESSION_COOKIE } from '../oauth/cookies.js';
import { loadTenant } from '../oauth/load-tenant.js';
import type { FormCsrf } from './form-csrf.js';
import { seeOther } from './page-kit.js';

export interface FactorSessionDeps {
  readonly tenants: TenantLookup;
  readonly sessions: Pick<SessionService, 'find'>;
  readonly secondFactors: Pick<SecondFactors, 'hasAny'>;
  readonly formCsrf: FormCsrf;
}

/**
 * The session behind a second-factor route of the account page: a live session of this issuer
 * that satisfies the user's factors (a password-only session of a user with a factor goes back
 * to the account page, which steps it up); a POST must carry the session's `mfa` CSRF token.
 * Otherwise `redirected` is the 303 to send.
 */
export async function factorSession(
  deps: FactorSessionDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  csrf?: string,
): Promise<{ redirected: FastifyReply; tenant?: undefined; active?: undefined } | { redirected: undefined; tenant: Tenant; active: ActiveSession }> {
  const tenant = await loadTenant(deps.tenants, request);
  const account = `${deps.tenants.issuer(tenant.name)}/account`;
  const active = await deps.sessions.find(tenant.id, request.cookies[SESSION_COOKIE]);
  if (active === undefined) return { redirected: seeOther(reply, `${account}/login`) };
  if (!active.session.amr.includes(AMR_MFA) && (await deps.secondFactors.hasAny(active.user.id))) return { redirected: seeOther(reply, account) };
  if (request.method === 'POST') deps.formCsrf.checkSession(active.session.id, 'mfa', csrf);
  return { redirected: undefined, tenant, active };
}
