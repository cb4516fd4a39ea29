import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiMetrics } from '@lanyard/metrics';
import { isOAuthError, ProblemError } from '@lanyard/errors';
import { ipNetwork } from '../../domain/rate-limit/ip-network.js';
import { rateLimitPolicies, type RateLimitConfig } from '../../domain/rate-limit/rate-limit-policies.js';
import type { RateLimiter } from '../../domain/rate-limit/sliding-window-limiter.js';
import { rateLimitHeaders } from '../../http/rate-limit-headers.js';
import type { ClientLookup } from '../../domain/clients/client-service.js';
import type { SessionLookup } from '../../domain/sessions/session-service.js';
import type { TenantLookup } from '../../domain/tenants/tenant-service.js';
import type { PendingSignIns } from '../interaction/pending-sign-in.js';
import type { InteractionStore } from '../interaction/interaction-store.js';
import { loadTenant } from '../load-tenant.js';
import { OAuthParams } from '../read-form.js';
import { SESSION_COOKIE } from '../cookies.js';
import { browserBindingHash } from '../interaction/browser-binding.js';
import { AuthorizationRedirectError } from './authorization-error.js';
import type { AuthorizationRequest } from './authorization-request.js';
import type { AuthorizeContext, AuthorizeStep } from './authorize-context.js';
import { checkClaimsRequest } from './check-claims-request.js';
import { checkClient } from './check-client.js';
import { checkPkce } from './check-pkce.js';
import { checkRedirectUri } from './check-redirect-uri.js';
import { checkRequestShape } from './check-request-shape.js';
import { checkScopeAndPrompt } from './check-scope-and-prompt.js';
import { continueAuthorization, followNextStep, type ContinueAuthorizationDeps } from './continue-authorization.js';

/** Steps whose errors are shown on our error page: the redirect URI is not trusted yet. */
const BEFORE_REDIRECT_URI: readonly AuthorizeStep[] = [checkClient, checkRedirectUri];
/** Steps whose errors go back to the client's redirect URI (RFC 6749 §4.1.2.1). */
const AFTER_REDIRECT_URI: readonly AuthorizeStep[] = [checkRequestShape, checkPkce, checkScopeAndPrompt, checkClaimsRequest];

export interface AuthorizeEndpointDeps extends ContinueAuthorizationDeps {
  readonly tenants: TenantLookup;
  readonly clients: ClientLookup;
  readonly sessions: SessionLookup;
  readonly interactions: Pick<InteractionStore, 'create' | 'save'>;
  readonly pendingSignIns: Pick<PendingSignIns, 'start'>;
  readonly limiter: RateLimiter;
  readonly metrics: Pick<ApiMetrics, 'rateLimited'>;
  readonly config: RateLimitConfig;
}

/**
 * The authorization endpoint (RFC 6749 §3.1, OIDC Core §3.1.2): GET and POST (OIDC requires both).
 * Validates the request as a pipeline, then either answers at once from the SSO session or hands
 * over to the hosted login / consent pages.
 */
export function registerAuthorizeEndpoint(app: FastifyInstance, deps: AuthorizeEndpointDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const issuer = deps.tenants.issuer(tenant.name);
    const params = OAuthParams.from((request.method === 'POST' ? request.body : request.query) as Record<string, unknown>);
    const actx: AuthorizeContext = { clients: deps.clients, request, reply, tenant, issuer, params, result: { tenantId: tenant.id, tenant: tenant.name } };
    for (const step of BEFORE_REDIRECT_URI) await step(actx);
    try {
      for (const step of AFTER_REDIRECT_URI) await step(actx);
    } catch (error) {
      if (isOAuthError(error)) throw new AuthorizationRedirectError(error, actx.redirectUri!, issuer, actx.result.state ?? null);
      throw error;
    }
    const authorization = actx.result as AuthorizationRequest;
    const active = await deps.sessions.find(tenant.id, request.cookies[SESSION_COOKIE]);
    const auth = active && { userId: active.user.id, sessionId: active.session.id, authTime: active.session.authTime, amr: active.session.amr };
    const next = await continueAuthorization(deps, actx.client!, authorization, issuer, auth, undefined);
    return followNextStep(reply, next, issuer, async () => {
      // Each interaction is held in Redis until it expires: bounded per IP network, so nobody can
      // fill Redis with unauthenticated GETs (docs/reference/rate-limits.md).
      const [decision] = await deps.limiter.decide([{ policy: rateLimitPolicies(deps.config, tenant).interactions, subject: ipNetwork(request.ip), cost: 1 }]);
      if (!decision!.allowed) {
        deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: decision!.policy.name });
        throw new ProblemError('rate_limited', 429, 'Too many requests', 'Too many sign-in requests from your network. Try again shortly.', { headers: rateLimitHeaders([decision!]) });
      }
      const interaction = await deps.interactions.create(authorization, browserBindingHash(request, reply, tenant.name));
      // A user already signed in only needs the consent step; remember who they are.
      if (auth === undefined || next.kind === 'login') return interaction;
      const withUser = { ...interaction, userId: auth.userId, sessionId: auth.sessionId, authTime: auth.authTime.getTime(), amr: auth.amr };
      await deps.interactions.save(withUser);
      return withUser;
    }, (pending) => deps.pendingSignIns.start(reply, tenant.name, { tenantId: tenant.id, ...pending }));
  };
  const options = { config: { errorFormat: 'html' as const }, schema: { hide: true } };
  app.get('/tenants/:tenant/oauth2/authorize', options, handler);
  app.post('/tenants/:tenant/oauth2/authorize', options, handler);
}
