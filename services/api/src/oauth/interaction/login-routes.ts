import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from '@lanyard/config';
import type { ApiMetrics } from '@lanyard/metrics';
import type { User } from '@lanyard/db';
import type { AuditRecorder } from '../../domain/audit/audit-log.js';
import type { AuthFailureReason } from '../../domain/audit/auth-failure-reason.js';
import type { RateLimiter } from '../../domain/rate-limit/sliding-window-limiter.js';
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
import type { InteractionStore } from './interaction-store.js';
import { loadInteraction, type LoadInteractionDeps } from './load-interaction.js';

export interface LoginRoutesDeps extends ContinueAuthorizationDeps, LoadInteractionDeps {
  readonly tenants: TenantLookup;
  readonly users: Pick<UserService, 'findByEmail' | 'replacePasswordHash'>;
  readonly passwords: Pick<PasswordHasher, 'hash' | 'verify' | 'verifyNothing'>;
  readonly sessions: Pick<SessionService, 'find' | 'create' | 'revoke'>;
  readonly interactions: Pick<InteractionStore, 'find' | 'save' | 'delete'>;
  readonly limiter: RateLimiter;
  readonly audit: AuditRecorder;
  readonly metrics: Pick<ApiMetrics, 'rateLimited'>;
  readonly config: Pick<ApiConfig, 'RATE_LIMIT_LOGIN_PER_MINUTE' | 'SESSION_TTL_SECONDS'>;
}

const GENERIC_FAILURE = 'Incorrect email or password.';

/**
 * The hosted sign-in page. GET renders the form; POST checks the password and answers 303 in every
 * case (Post/Redirect/Get): back to the form with a message, to consent, or to the client.
 * Rules on POST:
 * - interaction, browser binding and CSRF token are checked first ({@link loadInteraction});
 * - attempts are rate-limited per tenant+email and per IP (Redis, shared by replicas);
 * - unknown users, users without a password and disabled users cost the same Argon2 work and get
 *   the same message as a wrong password, so neither timing nor wording reveals who exists;
 * - a hash with outdated parameters is replaced after a successful check (rehash on login);
 * - success starts a new SSO session (a previous session cookie is revoked: no session fixation).
 */
export function registerLoginRoutes(app: FastifyInstance, deps: LoginRoutesDeps): void {
  const options = { config: { errorFormat: 'html' as const }, schema: { hide: true } };

  app.get('/tenants/:tenant/login', options, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { interaction, client } = await loadInteraction(deps, request, tenant, (request.query as Record<string, string>).interaction);
    // The form's POST ends in a 303 to the client, and Chromium checks form-action on that redirect.
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri));
    return reply.type('text/html; charset=utf-8').send(
      renderLoginPage({
        tenant: tenant.name,
        tenantDisplayName: tenant.displayName,
        clientName: client.displayName ?? client.clientId,
        interactionId: interaction.id,
        csrfToken: interaction.csrfToken,
        email: interaction.loginEmail ?? interaction.request.loginHint ?? '',
        ...(interaction.loginError === undefined ? {} : { error: interaction.loginError }),
      }),
    );
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

    const [byAccount, byIp] = await Promise.all([
      deps.limiter.hit('login', `${tenant.name}:${email}`, deps.config.RATE_LIMIT_LOGIN_PER_MINUTE, 60_000),
      deps.limiter.hit('login-ip', `${tenant.name}:${request.ip}`, deps.config.RATE_LIMIT_LOGIN_PER_MINUTE * 10, 60_000),
    ]);
    if (!byAccount.allowed || !byIp.allowed) {
      deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: 'login' });
      audit('failure', 'rate_limited');
      return retry(`Too many sign-in attempts. Try again in ${Math.max(byAccount.retryAfterSeconds, byIp.retryAfterSeconds)} seconds.`);
    }

    const user = email === '' || password === '' ? undefined : await deps.users.findByEmail(tenant.id, email);
    const verdict = await verifyPassword(deps, user, password);
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

    const signedIn = { ...interaction, userId: user!.id, sessionId: session.id, authTime: session.authTime.getTime(), loginError: undefined };
    const auth = { userId: user!.id, sessionId: session.id, authTime: session.authTime };
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
