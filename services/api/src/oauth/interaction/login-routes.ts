import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from '@lanyard/config';
import type { ApiMetrics } from '@lanyard/metrics';
import type { Tenant, User } from '@lanyard/db';
import type { AuditRecorder } from '../../domain/audit/audit-log.js';
import type { AuthFailureReason } from '../../domain/audit/auth-failure-reason.js';
import type { LoginAttempts } from '../../domain/rate-limit/login-attempts.js';
import type { SessionService } from '../../domain/sessions/session-service.js';
import type { TenantLookup } from '../../domain/tenants/tenant-service.js';
import type { PasswordHasher } from '../../domain/users/password-hasher.js';
import type { UserService } from '../../domain/users/user-service.js';
import { renderLoginPage } from '../../pages/login-page.js';
import { applyPageHeaders, formActionSources } from '../../pages/page-headers.js';
import { continueAuthorization, followNextStep, type ContinueAuthorizationDeps } from '../authorize/continue-authorization.js';
import { SESSION_COOKIE, sessionCookieOptions } from '../cookies.js';
import { loadTenant } from '../load-tenant.js';
import { OAuthParams } from '../read-form.js';
import type { Interaction, InteractionStore } from './interaction-store.js';
import type { RegisteredClient } from '../../domain/clients/client-service.js';
import { rateLimitHeaders } from '../../http/rate-limit-headers.js';
import { loadInteraction, type LoadInteractionDeps } from './load-interaction.js';

export interface LoginRoutesDeps extends ContinueAuthorizationDeps, LoadInteractionDeps {
  readonly tenants: TenantLookup;
  readonly users: Pick<UserService, 'findByEmail' | 'replacePasswordHash'>;
  readonly passwords: Pick<PasswordHasher, 'hash' | 'verify' | 'verifyNothing'>;
  readonly sessions: Pick<SessionService, 'find' | 'create' | 'revoke'>;
  readonly interactions: Pick<InteractionStore, 'find' | 'save' | 'delete'>;
  readonly loginAttempts: Pick<LoginAttempts, 'reserve'>;
  readonly audit: AuditRecorder;
  readonly metrics: Pick<ApiMetrics, 'rateLimited'>;
  readonly config: Pick<ApiConfig, 'SESSION_TTL_SECONDS'>;
}

const GENERIC_FAILURE = 'Incorrect email or password.';

/**
 * The hosted sign-in page. GET renders the form; POST checks the password and answers 303 in every
 * case (Post/Redirect/Get): back to the form with a message, to consent, or to the client.
 * Rules on POST:
 * - interaction, browser binding and CSRF token are checked first ({@link loadInteraction});
 * - failed attempts are counted per account and IP network ({@link LoginAttempts}: a progressive
 *   delay, then a lockout of that network; account-wide only at a much higher count); a refused
 *   attempt is answered with the page itself, 429 and `Retry-After`, never a 303;
 * - unknown users, users without a password and disabled users cost the same Argon2 work and get
 *   the same message as a wrong password, so neither timing nor wording reveals who exists;
 * - a hash with outdated parameters is replaced after a successful check (rehash on login);
 * - success starts a new SSO session (a previous session cookie is revoked: no session fixation).
 */
export function registerLoginRoutes(app: FastifyInstance, deps: LoginRoutesDeps): void {
  const options = { config: { errorFormat: 'html' as const }, schema: { hide: true } };

  const renderForm = (tenant: Tenant, interaction: Interaction, client: RegisteredClient, email: string, error?: string) =>
    renderLoginPage({
      tenant: tenant.name,
      tenantDisplayName: tenant.displayName,
      clientName: client.displayName ?? client.clientId,
      interactionId: interaction.id,
      csrfToken: interaction.csrfToken,
      email,
      ...(error === undefined ? {} : { error }),
    });

  app.get('/tenants/:tenant/login', options, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { interaction, client } = await loadInteraction(deps, request, tenant, (request.query as Record<string, string>).interaction);
    // The form's POST ends in a 303 to the client, and Chromium checks form-action on that redirect.
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri));
    return reply
      .type('text/html; charset=utf-8')
      .send(renderForm(tenant, interaction, client, interaction.loginEmail ?? interaction.request.loginHint ?? '', interaction.loginError));
  });

  app.post('/tenants/:tenant/login', options, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const issuer = deps.tenants.issuer(tenant.name);
    const form = OAuthParams.from(request.body as Record<string, unknown>);
    const { interaction, client } = await loadInteraction(deps, request, tenant, form.get('interaction'), form.get('csrf_token') ?? '');
    // The 303 after this POST may go to the client: Chromium applies form-action to that redirect.
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri));
    const email = (form.get('email') ?? '').trim().toLowerCase().slice(0, 254);
    const password = form.get('password') ?? '';
    const audit = (result: 'success' | 'failure', reason?: AuthFailureReason, userId?: string) =>
      deps.audit.record({ tenant: tenant.name, event: 'login', result, ...(reason ? { reason } : {}), clientId: client.clientId, userId: userId ?? null, ip: request.ip, requestId: request.id });
    const retry = async (message: string) => {
      await deps.interactions.save({ ...interaction, loginError: message, loginEmail: email });
      return reply.redirect(`${issuer}/login?interaction=${interaction.id}`, 303);
    };

    const user = email === '' ? undefined : await deps.users.findByEmail(tenant.id, email);
    const attempt = await deps.loginAttempts.reserve(tenant, { email, passwordChangedAt: user?.passwordChangedAt ?? null }, request.ip);
    if (!attempt.allowed) {
      for (const d of attempt.refused) deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: d.policy.name });
      audit('failure', 'rate_limited');
      const headers = rateLimitHeaders(attempt.refused);
      const wait = headers['retry-after'];
      const message =
        attempt.scope === 'account'
          ? `Sign-in with a password is locked for this account after too many failed attempts. Reset your password to sign in now, or try again in ${wait} seconds.`
          : `Too many failed sign-in attempts. Try again in ${wait} seconds.`;
      return reply.code(429).headers(headers).type('text/html; charset=utf-8').send(renderForm(tenant, interaction, client, email, message));
    }

    const verdict = await verifyPassword(deps, password === '' ? undefined : user, password);
    await attempt.settle(verdict === 'ok' ? 'success' : 'failure');
    if (verdict !== 'ok') {
      audit('failure', verdict, user?.id);
      return retry(GENERIC_FAILURE);
    }
    const previous = await deps.sessions.find(tenant.id, request.cookies[SESSION_COOKIE]);
    if (previous !== undefined) await deps.sessions.revoke(previous.session.id);
    const { token, session } = await deps.sessions.create(tenant.id, user!.id, ['pwd']);
    reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(tenant.name, deps.config.SESSION_TTL_SECONDS));
    audit('success', undefined, user!.id);
    request.log.info({ ...request.logFields, event: 'login', userId: user!.id }, 'user signed in');

    const signedIn = { ...interaction, userId: user!.id, sessionId: session.id, authTime: session.authTime.getTime(), amr: session.amr, loginError: undefined };
    const auth = { userId: user!.id, sessionId: session.id, authTime: session.authTime, amr: session.amr };
    const next = await continueAuthorization(deps, client, interaction.request, issuer, auth, signedIn);
    if (next.kind === 'redirect') await deps.interactions.delete(interaction.id);
    else await deps.interactions.save(signedIn);
    return followNextStep(reply, next, issuer, async () => signedIn);
  });
}

/** Same Argon2 work on every path; rehash when parameters changed. */
async function verifyPassword(deps: Pick<LoginRoutesDeps, 'users' | 'passwords'>, user: User | undefined, password: string): Promise<'ok' | 'invalid_credentials' | 'user_disabled'> {
  if (user === undefined || user.passwordHash === null) {
    await deps.passwords.verifyNothing(password);
    return 'invalid_credentials';
  }
  const { valid, needsRehash } = await deps.passwords.verify(user.passwordHash, password);
  if (!valid) return 'invalid_credentials';
  if (user.disabled) return 'user_disabled';
  if (needsRehash) await deps.users.replacePasswordHash(user.id, await deps.passwords.hash(password));
  return 'ok';
}
