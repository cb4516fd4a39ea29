import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import * as oidc from 'openid-client';
import type { ApiConfig } from '@lanyard/config';
import type { ApiMetrics } from '@lanyard/metrics';
import type { IdentityProvider, Tenant } from '@lanyard/db';
import { NotFoundProblem } from '@lanyard/errors';
import type { AuthFailureReason } from '../domain/audit/auth-failure-reason.js';
import type { IdentityProviderService } from '../domain/federation/identity-provider-service.js';
import type { UpstreamClients } from '../domain/federation/upstream-client.js';
import { freshnessDemand, upstreamAuthTime } from '../domain/federation/upstream-freshness.js';
import { upstreamProfile, type UpstreamIdentityService } from '../domain/federation/upstream-identity-service.js';
import { ipNetwork } from '../domain/rate-limit/ip-network.js';
import { rateLimitPolicies, type RateLimitConfig } from '../domain/rate-limit/rate-limit-policies.js';
import type { RateLimiter } from '../domain/rate-limit/sliding-window-limiter.js';
import { AMR_FEDERATED } from '../domain/tokens/authentication-context.js';
import { rateLimitHeaders } from '../http/rate-limit-headers.js';
import { completeInteractionSignIn } from '../oauth/interaction/complete-sign-in.js';
import type { FederationTransactions } from '../oauth/interaction/federation-transactions.js';
import { loadInteraction } from '../oauth/interaction/load-interaction.js';
import { startBrowserSession } from '../oauth/interaction/start-browser-session.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderNoticePage } from '../pages/account-pages.js';
import { RECENT_SIGN_IN_SECONDS } from './confirm-account-owner.js';
import type { PendingCompletionDeps } from './pending-sign-in-completion.js';
import { PAGE_ROUTE, pageTenant, readQuery, seeOther, sendPage } from './page-kit.js';

export interface FederationRoutesDeps extends PendingCompletionDeps {
  readonly identityProviders: IdentityProviderService;
  readonly upstreamClients: UpstreamClients;
  readonly upstreamIdentities: UpstreamIdentityService;
  readonly federationTransactions: FederationTransactions;
  readonly limiter: RateLimiter;
  readonly config: RateLimitConfig & Pick<ApiConfig, 'SESSION_TTL_SECONDS'>;
  readonly metrics: Pick<ApiMetrics, 'rateLimited'>;
}

type FederationFailure = Extract<AuthFailureReason, 'state_invalid' | 'upstream_error' | 'upstream_unreachable' | 'invalid_id_token' | 'unknown_user' | 'email_not_verified' | 'user_disabled'>;

/** What the error page says; never the upstream's own text, which is attacker-controlled. */
const MESSAGES: Record<FederationFailure, string> = {
  state_invalid: 'This sign-in could not be completed: it expired, was already used, or was started in another browser. Start again from the sign-in page.',
  upstream_error: 'The other sign-in service did not sign you in. Start again from the sign-in page.',
  upstream_unreachable: 'The other sign-in service cannot be reached right now. Try again in a moment, or sign in another way.',
  invalid_id_token: 'The answer of the other sign-in service could not be trusted, so you were not signed in.',
  unknown_user: 'There is no account here for this identity. Ask an administrator, or sign in another way.',
  email_not_verified: 'The other sign-in service has not confirmed your email address, so it cannot be linked to an account here.',
  user_disabled: 'This account cannot sign in.',
};

/** `{ISSUER}/federation/{provider}/callback`: the redirect URI registered at the upstream. */
export const federationCallbackUrl = (issuer: string, provider: string) => `${issuer}/federation/${provider}/callback`;

/**
 * Sign-in through an upstream OpenID Connect provider (docs/reference/federation.md). Rules:
 * - `/start` begins authorization code + PKCE (S256) upstream with a fresh `state` and `nonce`,
 *   kept with the verifier in a single-use transaction bound to this browser's cookie and to our
 *   own client's pending authorization request (the interaction); starts are rate-limited per
 *   network like authorization requests;
 * - `/callback` takes the transaction (once) and lets openid-client check everything: state,
 *   `iss` (RFC 9207) where the upstream advertises it, error responses, and the ID token's
 *   signature, issuer, audience, expiry and nonce. Any failure is an error page (4xx, never a
 *   5xx), an audit event and `identity_auth_events_total{event="federation"}` with its reason;
 *   no session, user or link is created;
 * - on success the linking rule finds, links or creates the local user, and the sign-in
 *   continues like any other (amr `fed`): a local second factor is still asked for.
 */
export function registerFederationRoutes(app: FastifyInstance, deps: FederationRoutesDeps): void {
  const fail = (request: FastifyRequest, reply: FastifyReply, tenant: Tenant, provider: string, reason: FederationFailure, detail?: unknown) => {
    deps.audit.record({ tenant: tenant.name, event: 'federation', result: 'failure', reason, clientId: null, ip: request.ip, requestId: request.id });
    request.log.warn({ ...request.logFields, event: 'federation', provider, reason, detail: describeError(detail) }, 'federated sign-in refused');
    const status = reason === 'upstream_unreachable' ? 424 : reason === 'unknown_user' || reason === 'user_disabled' || reason === 'email_not_verified' ? 403 : 400;
    return sendPage(reply, renderNoticePage({ ...pageTenant(tenant), kind: 'error', title: 'Sign-in failed', message: MESSAGES[reason], links: [['Back to sign-in', `${deps.tenants.issuer(tenant.name)}/account/login`]] }), status);
  };
  const enabledProvider = async (tenant: Tenant, name: string): Promise<IdentityProvider> => {
    const provider = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name) ? await deps.identityProviders.find(tenant.id, name) : undefined;
    if (provider === undefined || provider.disabled) throw new NotFoundProblem('There is no such sign-in provider.');
    return provider;
  };
  const configuration = (provider: IdentityProvider) => deps.upstreamClients.configuration(provider, deps.identityProviders.clientSecret(provider));

  app.get('/tenants/:tenant/federation/:provider/start', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const provider = await enabledProvider(tenant, (request.params as { provider: string }).provider);
    const interactionId = readQuery(request).get('interaction');
    // The pending request must be this browser's own (the binding cookie), like the sign-in page.
    const pending = interactionId === undefined ? undefined : await loadInteraction(deps, request, tenant, interactionId);
    const [decision] = await deps.limiter.decide([{ policy: rateLimitPolicies(deps.config, tenant).interactions, subject: ipNetwork(request.ip), cost: 1 }]);
    if (!decision!.allowed) {
      deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: decision!.policy.name });
      reply.headers(rateLimitHeaders([decision!]));
      return fail(request, reply.code(429), tenant, provider.name, 'upstream_unreachable');
    }
    let config: oidc.Configuration;
    try {
      config = await configuration(provider);
    } catch (error) {
      return fail(request, reply, tenant, provider.name, 'upstream_unreachable', error);
    }
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const freshness = freshnessDemand(pending?.interaction.request, RECENT_SIGN_IN_SECONDS);
    const startedAt = deps.clock().getTime();
    await deps.federationTransactions.start(reply, tenant.name, { tenantId: tenant.id, provider: provider.name, state, nonce, codeVerifier, startedAt, freshness, ...(interactionId === undefined ? {} : { interactionId }) });
    const url = oidc.buildAuthorizationUrl(config, {
      ...(freshness.prompt === undefined ? {} : { prompt: freshness.prompt }),
      ...(freshness.maxAge === undefined ? {} : { max_age: String(freshness.maxAge) }),
      redirect_uri: federationCallbackUrl(deps.tenants.issuer(tenant.name), provider.name),
      scope: provider.scopes.join(' '),
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    return seeOther(reply, url.toString());
  });

  app.get('/tenants/:tenant/federation/:provider/callback', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const name = (request.params as { provider: string }).provider;
    const transaction = await deps.federationTransactions.take(request, reply, tenant.name);
    if (transaction === undefined || transaction.tenantId !== tenant.id || transaction.provider !== name) return fail(request, reply, tenant, name, 'state_invalid');
    const provider = await enabledProvider(tenant, name);
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    const callback = new URL(`${federationCallbackUrl(deps.tenants.issuer(tenant.name), name)}${query}`);
    let claims: Record<string, unknown> | undefined;
    let authTimeClaim: unknown;
    try {
      const config = await configuration(provider);
      const tokens = await oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: transaction.codeVerifier, expectedState: transaction.state, expectedNonce: transaction.nonce, idTokenExpected: true });
      const idToken = tokens.claims();
      claims = idToken;
      authTimeClaim = idToken?.auth_time;
      // Many providers put email claims in userinfo only (OIDC Core §5.4); its `sub` must match the ID token's.
      const emailClaim = provider.claims.email ?? 'email';
      if (idToken !== undefined && idToken[emailClaim] === undefined && config.serverMetadata().userinfo_endpoint !== undefined) {
        claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...idToken };
      }
    } catch (error) {
      return fail(request, reply, tenant, name, classify(error), error);
    }
    const profile = claims === undefined ? undefined : upstreamProfile(provider, claims);
    if (profile === undefined) return fail(request, reply, tenant, name, 'invalid_id_token');
    // An older authentication than we asked for: the upstream ignored prompt=login or max_age.
    const authTime = upstreamAuthTime(authTimeClaim, transaction.freshness ?? {}, transaction.startedAt ?? 0, deps.clock().getTime());
    if (authTime === undefined) return fail(request, reply, tenant, name, 'invalid_id_token', new Error(`auth_time ${String(authTimeClaim)} is older than demanded (${JSON.stringify(transaction.freshness)})`));
    const outcome = await deps.upstreamIdentities.resolve(tenant, provider, profile);
    if (!outcome.ok) return fail(request, reply, tenant, name, outcome.reason);
    deps.audit.record({ tenant: tenant.name, event: 'federation', result: 'success', clientId: null, userId: outcome.user.id, ip: request.ip, requestId: request.id });
    request.log.info({ ...request.logFields, event: 'federation', provider: name, userId: outcome.user.id, created: outcome.created, linked: outcome.linked }, 'signed in through an upstream provider');
    const amr = [AMR_FEDERATED];
    if (transaction.interactionId === undefined) {
      await startBrowserSession(deps, request, reply, tenant, outcome.user, amr, authTime);
      return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/account`);
    }
    const interaction = await deps.interactions.find(transaction.interactionId);
    if (interaction === undefined || interaction.request.tenantId !== tenant.id) return fail(request, reply, tenant, name, 'state_invalid');
    const client = await deps.clients.find(tenant.id, interaction.request.clientId);
    if (client === undefined || client.disabled) return fail(request, reply, tenant, name, 'state_invalid');
    return completeInteractionSignIn(deps, request, reply, { tenant, interaction, client }, outcome.user, amr, { redirectByPage: true, authTime });
  });
}

/** What went wrong, for the log: openid-client's error and the finding it wraps (never a token). */
function describeError(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.name}: ${error.message}${cause}`.slice(0, 300);
}

/** openid-client's refusal → our reason: the upstream's own error, a state problem, no answer, or anything about the token. */
function classify(error: unknown): FederationFailure {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) return 'upstream_error';
  // openid-client wraps oauth4webapi's finding in `cause` ("unexpected \"state\" response parameter …").
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : '';
  const message = error instanceof Error ? `${error.message} ${cause}` : '';
  const code = (error as { code?: unknown }).code;
  if (/"state"/.test(message)) return 'state_invalid';
  if (error instanceof TypeError || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) || code === 'OAUTH_TIMEOUT') return 'upstream_unreachable';
  return 'invalid_id_token';
}
