import { createHmac } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import { InvalidRequest } from '@lanyard/errors';
import { constantTimeEqual } from '@lanyard/security';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import type { ClientLookup } from '../domain/clients/client-service.js';
import type { SessionService } from '../domain/sessions/session-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import type { IdTokenHint, IdTokenService } from '../domain/tokens/id-token-service.js';
import type { RefreshTokenService } from '../domain/tokens/refresh-token-service.js';
import { renderLoggedOutPage, renderLogoutPage } from '../pages/logout-page.js';
import { applyPageHeaders, formActionSources } from '../pages/page-headers.js';
import { expiredCookie, refreshCookieOptions, SESSION_COOKIE, sessionCookieOptions } from './cookies.js';
import { loadTenant } from './load-tenant.js';
import { OAuthParams } from './read-form.js';

const REFRESH_COOKIE_PREFIX = '__Secure-lanyard_rt.';

export interface LogoutEndpointDeps {
  readonly tenants: TenantLookup;
  readonly clients: ClientLookup;
  readonly idTokens: Pick<IdTokenService, 'verifyHint'>;
  readonly sessions: Pick<SessionService, 'find' | 'revoke'>;
  readonly refreshTokens: Pick<RefreshTokenService, 'revokeSessionFamilies'>;
  readonly audit: AuditRecorder;
  /** Key for the stateless CSRF token of the confirmation form. */
  readonly csrfKey: Buffer;
}

/**
 * RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). Rules:
 * - `id_token_hint`, when given, must be an ID token we signed for this tenant (expired is fine:
 *   that is the normal case at logout); it names the client and the session;
 * - `post_logout_redirect_uri` is honoured only if registered for that client, exactly; anything
 *   else is an error page, never a redirect (no open redirector);
 * - without a hint for the current session we ask first (CSRF-protected form), so a third-party
 *   page cannot sign users out;
 * - logout revokes the browser session and every refresh-token family issued in it, and clears the
 *   session and refresh cookies; `state` is returned unchanged.
 */
export function registerLogoutEndpoint(app: FastifyInstance, deps: LogoutEndpointDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const params = OAuthParams.from((request.method === 'POST' ? request.body : request.query) as Record<string, unknown>);
    const hint = await readIdTokenHint(deps, tenant, params.get('id_token_hint'));
    const clientId = params.get('client_id') ?? hint?.aud;
    if (hint !== undefined && params.get('client_id') !== undefined && params.get('client_id') !== hint.aud) {
      throw new InvalidRequest('client_id does not match the id_token_hint.');
    }
    const client = clientId === undefined ? undefined : await deps.clients.find(tenant.id, clientId);
    const returnTo = params.get('post_logout_redirect_uri');
    if (returnTo !== undefined && (client === undefined || !client.postLogoutRedirectUris.includes(returnTo))) {
      throw new InvalidRequest('post_logout_redirect_uri is not registered for this client.', { detail: `unregistered post_logout_redirect_uri ${returnTo.slice(0, 200)}` });
    }
    applyPageHeaders(reply, returnTo === undefined ? [] : formActionSources(returnTo));

    const active = await deps.sessions.find(tenant.id, request.cookies[SESSION_COOKIE]);
    const hintMatchesSession = active !== undefined && hint !== undefined && (hint.sid === active.session.id || (hint.sid === undefined && hint.sub === active.user.id));
    const confirmed = request.method === 'POST' && params.get('confirm') === 'yes' && active !== undefined && constantTimeEqual(params.get('csrf_token') ?? '', csrfFor(deps.csrfKey, active.session.id));
    if (active !== undefined && !hintMatchesSession && !confirmed) {
      const carry: Record<string, string> = {};
      for (const name of ['post_logout_redirect_uri', 'state', 'client_id']) {
        const value = name === 'client_id' ? clientId : params.get(name);
        if (value !== undefined) carry[name] = value;
      }
      return reply.type('text/html; charset=utf-8').send(renderLogoutPage({ tenant: tenant.name, tenantDisplayName: tenant.displayName, csrfToken: csrfFor(deps.csrfKey, active.session.id), carry }));
    }

    if (active !== undefined) {
      await deps.sessions.revoke(active.session.id);
      await deps.refreshTokens.revokeSessionFamilies(active.session.id, 'logout');
      deps.audit.record({ tenant: tenant.name, event: 'logout', result: 'success', clientId: client?.clientId ?? null, userId: active.user.id, ip: request.ip, requestId: request.id });
      request.log.info({ ...request.logFields, event: 'logout', userId: active.user.id }, 'user signed out');
    }
    clearCookies(request, reply, tenant.name);
    if (returnTo !== undefined) {
      const url = new URL(returnTo);
      const state = params.get('state');
      if (state !== undefined) url.searchParams.append('state', state);
      return reply.redirect(url.toString(), 303);
    }
    return reply.type('text/html; charset=utf-8').send(renderLoggedOutPage(tenant.name, tenant.displayName));
  };
  const options = { config: { errorFormat: 'html' as const }, schema: { hide: true } };
  app.get('/tenants/:tenant/oauth2/logout', options, handler);
  app.post('/tenants/:tenant/oauth2/logout', options, handler);
}

/** A stateless CSRF token for the logout confirmation, bound to the session it would end. */
function csrfFor(csrfKey: Buffer, sessionId: string): string {
  return createHmac('sha256', csrfKey).update(`logout:${sessionId}`).digest('base64url');
}

/** A present `id_token_hint` must be an ID token issued here (no open redirector through a forged one). */
async function readIdTokenHint(deps: Pick<LogoutEndpointDeps, 'idTokens' | 'tenants'>, tenant: Tenant, hint: string | undefined): Promise<IdTokenHint | undefined> {
  if (hint === undefined) return undefined;
  const verified = await deps.idTokens.verifyHint(tenant, deps.tenants.issuer(tenant.name), hint);
  if (verified === undefined) throw new InvalidRequest('id_token_hint is not an ID token issued here.');
  return verified;
}

function clearCookies(request: FastifyRequest, reply: FastifyReply, tenant: string): void {
  reply.setCookie(SESSION_COOKIE, '', expiredCookie(sessionCookieOptions(tenant, 0)));
  for (const name of Object.keys(request.cookies)) {
    if (name.startsWith(REFRESH_COOKIE_PREFIX)) reply.setCookie(name, '', expiredCookie(refreshCookieOptions(tenant, 0, 'strict')));
  }
}
