import type { FastifyInstance } from 'fastify';
import type { ApiMetrics } from '@lanyard/metrics';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../../domain/audit/audit-log.js';
import type { AuthFailureReason } from '../../domain/audit/auth-failure-reason.js';
import { accountPolicy } from '../../domain/accounts/account-policy.js';
import { signInWithPassword, type PasswordSignInDeps } from '../../domain/accounts/password-sign-in.js';
import type { TenantLookup } from '../../domain/tenants/tenant-service.js';
import type { RegisteredClient } from '../../domain/clients/client-service.js';
import { rateLimitHeaders } from '../../http/rate-limit-headers.js';
import { renderLoginPage } from '../../pages/login-page.js';
import { applyPageHeaders, formActionSources } from '../../pages/page-headers.js';
import type { FormCsrf } from '../../accounts/form-csrf.js';
import { lockoutMessage, PASSKEY_FAILED, renderUnverifiedPage, SIGN_IN_FAILED } from '../../accounts/sign-in-messages.js';
import { secondFactorPage } from '../authorize/continue-authorization.js';
import { AMR_PASSWORD, requestsMfa } from '../../domain/tokens/authentication-context.js';
import type { SecondFactors } from '../../domain/mfa/second-factors.js';
import { completeInteractionSignIn, type CompleteSignInDeps } from './complete-sign-in.js';
import { signInWithPasskey, type PasskeySignInDeps } from '../../domain/mfa/passkey-sign-in.js';
import { startCeremony } from '../../accounts/passkey-ceremony.js';
import type { PasskeyCeremony } from '../../pages/second-factor-pages.js';
import type { WebauthnChallenges } from './webauthn-challenges.js';
import type { UserService } from '../../domain/users/user-service.js';
import type { IdentityProviderService } from '../../domain/federation/identity-provider-service.js';
import { loadTenant } from '../load-tenant.js';
import { OAuthParams } from '../read-form.js';
import type { Interaction, InteractionStore } from './interaction-store.js';
import { loadInteraction, type LoadInteractionDeps } from './load-interaction.js';

export interface LoginRoutesDeps extends CompleteSignInDeps, LoadInteractionDeps, PasswordSignInDeps, PasskeySignInDeps {
  readonly tenants: TenantLookup;
  readonly interactions: Pick<InteractionStore, 'find' | 'save' | 'delete'>;
  readonly formCsrf: FormCsrf;
  readonly audit: AuditRecorder;
  readonly metrics: Pick<ApiMetrics, 'rateLimited'>;
  readonly secondFactors: Pick<SecondFactors, 'nextStep' | 'stepFor' | 'passkeys'>;
  readonly webauthnChallenges: WebauthnChallenges;
  readonly users: Pick<UserService, 'findByEmail' | 'replacePasswordHash' | 'findById'>;
  readonly identityProviders: Pick<IdentityProviderService, 'list'>;
}

/**
 * The hosted sign-in page of an app's authorization request. GET renders the form; POST checks the
 * password and answers 303 in every case (Post/Redirect/Get): back to the form with a message, to
 * consent, or to the client. Rules:
 * - interaction, browser binding and CSRF token are checked first ({@link loadInteraction});
 * - the password check, its counters and lockout are {@link signInWithPassword}'s; a refused
 *   attempt is answered with the page itself, 429 and `Retry-After`, never a 303;
 * - a correct password of an unverified address (when the tenant requires verification) gets a
 *   page offering a new verification link, which resumes this request once used;
 * - a right password of a user who must use (or enrol) a second factor starts a pending sign-in
 *   and sends the browser to that step; no session exists until it is done;
 * - otherwise success starts a new SSO session (no session fixation) and continues the
 *   authorization request ({@link completeInteractionSignIn});
 * - "Sign in with a passkey" (`/login/passkey`) is the whole sign-in with a discoverable passkey
 *   and user verification ({@link signInWithPasskey}); password lockouts do not apply to it;
 * - the form links to password recovery and, when the tenant's sign-up is open, to sign-up; both
 *   carry the interaction, so the request resumes after them.
 */
export function registerLoginRoutes(app: FastifyInstance, deps: LoginRoutesDeps): void {
  const options = { config: { errorFormat: 'html' as const }, schema: { hide: true } };

  const renderForm = (
    tenant: Tenant,
    interaction: Interaction,
    client: RegisteredClient,
    email: string,
    extra: { error?: string | undefined; notice?: string | undefined } = {},
    ceremony?: PasskeyCeremony,
    providers?: ReadonlyArray<{ label: string; href: string }>,
  ) => {
    const base = `/tenants/${tenant.name}`;
    return renderLoginPage({
      tenant: tenant.name,
      tenantDisplayName: tenant.displayName,
      heading: client.displayName ?? client.clientId,
      action: `${base}/login`,
      hidden: { interaction: interaction.id, csrf_token: interaction.csrfToken },
      email,
      ...extra,
      forgotHref: `${base}/password/forgot?interaction=${interaction.id}`,
      signupHref: accountPolicy(tenant).signup === 'open' ? `${base}/signup?interaction=${interaction.id}` : undefined,
      passkey: ceremony === undefined ? undefined : { action: `${base}/login/passkey`, hidden: { interaction: interaction.id, csrf_token: interaction.csrfToken }, ceremony },
      providers,
    });
  };

  /** The tenant's enabled upstream providers, each a link that starts its sign-in for this request. */
  const providerLinks = async (tenant: Tenant, interactionId: string) =>
    (await deps.identityProviders.list(tenant.id))
      .filter((p) => !p.disabled)
      .map((p) => ({ label: p.displayName, href: `/tenants/${tenant.name}/federation/${p.name}/start?interaction=${interactionId}` }));

  app.get('/tenants/:tenant/login', options, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { interaction, client } = await loadInteraction(deps, request, tenant, (request.query as Record<string, string>).interaction);
    const ceremony = await startCeremony(deps.webauthnChallenges, await deps.secondFactors.passkeys.authenticationOptions(), `sign-in:${interaction.id}`);
    // The form's POST ends in a 303 to the client, and Chromium checks form-action on that redirect.
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri), ceremony.nonce);
    return reply
      .type('text/html; charset=utf-8')
      .send(renderForm(tenant, interaction, client, interaction.loginEmail ?? interaction.request.loginHint ?? '', { error: interaction.loginError, notice: interaction.loginNotice }, ceremony, await providerLinks(tenant, interaction.id)));
  });

  app.post('/tenants/:tenant/login/passkey', options, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = OAuthParams.from(request.body as Record<string, unknown>);
    const { interaction, client } = await loadInteraction(deps, request, tenant, form.get('interaction'), form.get('csrf_token') ?? '');
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri));
    const challenge = await deps.webauthnChallenges.take(`sign-in:${interaction.id}`);
    const outcome = await signInWithPasskey(deps, tenant, form.get('credential') ?? '', challenge, request);
    if (outcome.kind === 'failed') {
      deps.audit.record({ tenant: tenant.name, event: 'login', result: 'failure', reason: outcome.reason === 'user_disabled' ? 'user_disabled' : 'invalid_credentials', clientId: client.clientId, userId: outcome.userId ?? null, ip: request.ip, requestId: request.id });
      await deps.interactions.save({ ...interaction, loginError: PASSKEY_FAILED, loginNotice: undefined });
      return reply.redirect(`${deps.tenants.issuer(tenant.name)}/login?interaction=${interaction.id}`, 303);
    }
    if (outcome.kind === 'unverified') {
      const csrf = deps.formCsrf.forBrowser(request, reply, tenant.name, 'resend-verification');
      return reply.code(403).type('text/html; charset=utf-8').send(renderUnverifiedPage(tenant, outcome.user.email, csrf, interaction.id));
    }
    return completeInteractionSignIn(deps, request, reply, { tenant, interaction, client }, outcome.user, outcome.amr);
  });

  app.post('/tenants/:tenant/login', options, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const issuer = deps.tenants.issuer(tenant.name);
    const form = OAuthParams.from(request.body as Record<string, unknown>);
    const { interaction, client } = await loadInteraction(deps, request, tenant, form.get('interaction'), form.get('csrf_token') ?? '');
    // The 303 after this POST may go to the client: Chromium applies form-action to that redirect.
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri));
    const email = (form.get('email') ?? '').trim().toLowerCase().slice(0, 254);
    const audit = (result: 'success' | 'failure', reason?: AuthFailureReason, userId?: string) =>
      deps.audit.record({ tenant: tenant.name, event: 'login', result, ...(reason ? { reason } : {}), clientId: client.clientId, userId: userId ?? null, ip: request.ip, requestId: request.id });

    const outcome = await signInWithPassword(deps, tenant, email, form.get('password') ?? '', request.ip);
    if (outcome.kind === 'refused') {
      for (const d of outcome.refused) deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: d.policy.name });
      audit('failure', 'rate_limited');
      const headers = rateLimitHeaders(outcome.refused);
      const message = lockoutMessage(outcome.scope, headers['retry-after'] ?? '60');
      return reply.code(429).headers(headers).type('text/html; charset=utf-8').send(renderForm(tenant, interaction, client, email, { error: message }));
    }
    if (outcome.kind === 'failed') {
      audit('failure', outcome.reason, outcome.userId);
      await deps.interactions.save({ ...interaction, loginError: SIGN_IN_FAILED, loginNotice: undefined, loginEmail: email });
      return reply.redirect(`${issuer}/login?interaction=${interaction.id}`, 303);
    }
    if (outcome.kind === 'unverified') {
      audit('failure', 'email_not_verified', outcome.user.id);
      const csrf = deps.formCsrf.forBrowser(request, reply, tenant.name, 'resend-verification');
      return reply.code(403).type('text/html; charset=utf-8').send(renderUnverifiedPage(tenant, outcome.user.email, csrf, interaction.id));
    }
    const { user } = outcome;
    // The password was right; a second factor may still be due before any session exists.
    const demanded = client.requireMfa || requestsMfa(interaction.request.acrValues, interaction.request.claims);
    const factor = await deps.secondFactors.nextStep(tenant, user, { amr: [AMR_PASSWORD], demanded, deferred: false });
    if (factor.kind !== 'none') {
      await deps.pendingSignIns.start(reply, tenant.name, { tenantId: tenant.id, userId: user.id, amr: [AMR_PASSWORD], interactionId: interaction.id, formAction: formActionSources(interaction.request.redirectUri), ...(factor.kind === 'enrol' && factor.deferrableUntil !== undefined ? { deferrable: true } : {}) });
      return reply.header('cache-control', 'no-store').redirect(secondFactorPage(issuer, factor.kind), 303);
    }
    return completeInteractionSignIn(deps, request, reply, { tenant, interaction, client }, user, [AMR_PASSWORD], { secondFactorCleared: true });
  });
}
