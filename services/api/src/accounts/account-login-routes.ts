import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { signInWithPasskey, type PasskeySignInDeps } from '../domain/mfa/passkey-sign-in.js';
import type { UserService } from '../domain/users/user-service.js';
import type { IdentityProviderService } from '../domain/federation/identity-provider-service.js';
import { browserBinding } from '../oauth/interaction/browser-binding.js';
import type { WebauthnChallenges } from '../oauth/interaction/webauthn-challenges.js';
import type { PasskeyCeremony } from '../pages/second-factor-pages.js';
import { startCeremony } from './passkey-ceremony.js';
import type { ApiMetrics } from '@lanyard/metrics';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import { accountPolicy } from '../domain/accounts/account-policy.js';
import { signInWithPassword, type PasswordSignInDeps } from '../domain/accounts/password-sign-in.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { rateLimitHeaders } from '../http/rate-limit-headers.js';
import { SESSION_COOKIE } from '../oauth/cookies.js';
import { startBrowserSession, type StartSessionDeps } from '../oauth/interaction/start-browser-session.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { secondFactorPage } from '../oauth/authorize/continue-authorization.js';
import type { PendingSignIns } from '../oauth/interaction/pending-sign-in.js';
import type { SecondFactors } from '../domain/mfa/second-factors.js';
import { AMR_PASSWORD } from '../domain/tokens/authentication-context.js';
import { renderLoginPage } from '../pages/login-page.js';
import type { FormCsrf } from './form-csrf.js';
import { PAGE_ROUTE, pageBase, readForm, readQuery, seeOther, sendPage } from './page-kit.js';
import { ACCOUNT_LOGIN_NOTICES, type AccountLoginNotice } from './resume.js';
import { lockoutMessage, PASSKEY_FAILED, renderUnverifiedPage, SIGN_IN_FAILED } from './sign-in-messages.js';

export interface AccountLoginRoutesDeps extends PasswordSignInDeps, StartSessionDeps, PasskeySignInDeps {
  readonly tenants: TenantLookup;
  readonly formCsrf: FormCsrf;
  readonly audit: AuditRecorder;
  readonly metrics: Pick<ApiMetrics, 'rateLimited'>;
  readonly secondFactors: Pick<SecondFactors, 'nextStep' | 'passkeys'>;
  readonly pendingSignIns: Pick<PendingSignIns, 'start'>;
  readonly webauthnChallenges: WebauthnChallenges;
  readonly users: Pick<UserService, 'findByEmail' | 'replacePasswordHash' | 'findById'>;
  readonly identityProviders: Pick<IdentityProviderService, 'list'>;
}

const PURPOSE = 'account-login';

/**
 * `{issuer}/account/login`: signing in to the issuer itself, for the account page. Same password
 * rules, counters and lockout as an app's sign-in (one {@link signInWithPassword}), with a CSRF
 * token bound to this browser instead of an interaction. A user with a second factor (or whom the
 * tenant's policy asks to enrol one) goes through that step before the session starts.
 */
export function registerAccountLoginRoutes(app: FastifyInstance, deps: AccountLoginRoutesDeps): void {
  const form = (tenant: Tenant, csrf: string, email: string, extra: { error?: string; notice?: string } = {}, ceremony?: PasskeyCeremony, providers?: ReadonlyArray<{ label: string; href: string }>) => {
    const base = pageBase(tenant);
    return renderLoginPage({
      tenant: tenant.name,
      tenantDisplayName: tenant.displayName,
      heading: 'your account',
      action: `${base}/account/login`,
      hidden: { csrf_token: csrf },
      email,
      ...extra,
      forgotHref: `${base}/password/forgot`,
      signupHref: accountPolicy(tenant).signup === 'open' ? `${base}/signup` : undefined,
      passkey: ceremony === undefined ? undefined : { action: `${base}/account/login/passkey`, hidden: { csrf_token: csrf }, ceremony },
      providers,
    });
  };
  /** A passkey challenge per browser (its binding cookie), replaced by each rendering of the form. */
  const ceremonyFor = async (request: FastifyRequest, reply: FastifyReply, tenant: Tenant) =>
    startCeremony(deps.webauthnChallenges, await deps.secondFactors.passkeys.authenticationOptions(), `sign-in:${browserBinding(request, reply, tenant.name)}`);

  app.get('/tenants/:tenant/account/login', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    if ((await deps.sessions.find(tenant.id, request.cookies[SESSION_COOKIE])) !== undefined) return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/account`);
    const code = readQuery(request).get('notice');
    const notice = code !== undefined && Object.hasOwn(ACCOUNT_LOGIN_NOTICES, code) ? ACCOUNT_LOGIN_NOTICES[code as AccountLoginNotice] : undefined;
    const ceremony = await ceremonyFor(request, reply, tenant);
    const providers = (await deps.identityProviders.list(tenant.id)).filter((p) => !p.disabled).map((p) => ({ label: p.displayName, href: `${pageBase(tenant)}/federation/${p.name}/start` }));
    return sendPage(reply, form(tenant, deps.formCsrf.forBrowser(request, reply, tenant.name, PURPOSE), '', notice === undefined ? {} : { notice }, ceremony, providers), 200, ceremony.nonce);
  });

  app.post('/tenants/:tenant/account/login/passkey', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const fields = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, PURPOSE, fields.get('csrf_token'));
    const challenge = await deps.webauthnChallenges.take(`sign-in:${browserBinding(request, reply, tenant.name)}`);
    const outcome = await signInWithPasskey(deps, tenant, fields.get('credential') ?? '', challenge, request);
    const record = { tenant: tenant.name, event: 'login', clientId: null, ip: request.ip, requestId: request.id } as const;
    if (outcome.kind === 'failed') {
      deps.audit.record({ ...record, result: 'failure', reason: outcome.reason === 'user_disabled' ? 'user_disabled' : 'invalid_credentials', userId: outcome.userId ?? null });
      const ceremony = await ceremonyFor(request, reply, tenant);
      return sendPage(reply, form(tenant, deps.formCsrf.forBrowser(request, reply, tenant.name, PURPOSE), '', { error: PASSKEY_FAILED }, ceremony), 401, ceremony.nonce);
    }
    if (outcome.kind === 'unverified') {
      return sendPage(reply, renderUnverifiedPage(tenant, outcome.user.email, deps.formCsrf.forBrowser(request, reply, tenant.name, 'resend-verification'), undefined), 403);
    }
    await startBrowserSession(deps, request, reply, tenant, outcome.user, outcome.amr);
    deps.audit.record({ ...record, result: 'success', userId: outcome.user.id });
    request.log.info({ ...request.logFields, event: 'login', userId: outcome.user.id, amr: outcome.amr }, 'user signed in to the account page with a passkey');
    return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/account`);
  });

  app.post('/tenants/:tenant/account/login', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const fields = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, PURPOSE, fields.get('csrf_token'));
    const email = (fields.get('email') ?? '').trim().toLowerCase().slice(0, 254);
    const csrf = deps.formCsrf.forBrowser(request, reply, tenant.name, PURPOSE);
    const outcome = await signInWithPassword(deps, tenant, email, fields.get('password') ?? '', request.ip);
    const record = { tenant: tenant.name, event: 'login', clientId: null, ip: request.ip, requestId: request.id } as const;
    switch (outcome.kind) {
      case 'refused': {
        for (const d of outcome.refused) deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: d.policy.name });
        deps.audit.record({ ...record, result: 'failure', reason: 'rate_limited' });
        const headers = rateLimitHeaders(outcome.refused);
        reply.headers(headers);
        return sendPage(reply, form(tenant, csrf, email, { error: lockoutMessage(outcome.scope, headers['retry-after'] ?? '60') }), 429);
      }
      case 'failed':
        deps.audit.record({ ...record, result: 'failure', reason: outcome.reason, userId: outcome.userId ?? null });
        return sendPage(reply, form(tenant, csrf, email, { error: SIGN_IN_FAILED }), 401);
      case 'unverified':
        deps.audit.record({ ...record, result: 'failure', reason: 'email_not_verified', userId: outcome.user.id });
        return sendPage(reply, renderUnverifiedPage(tenant, outcome.user.email, deps.formCsrf.forBrowser(request, reply, tenant.name, 'resend-verification'), undefined), 403);
      case 'signed_in': {
        const factor = await deps.secondFactors.nextStep(tenant, outcome.user, { amr: [AMR_PASSWORD], demanded: false, deferred: false });
        if (factor.kind !== 'none') {
          await deps.pendingSignIns.start(reply, tenant.name, { tenantId: tenant.id, userId: outcome.user.id, amr: [AMR_PASSWORD], ...(factor.kind === 'enrol' && factor.deferrableUntil !== undefined ? { deferrable: true } : {}) });
          return seeOther(reply, secondFactorPage(deps.tenants.issuer(tenant.name), factor.kind));
        }
        await startBrowserSession(deps, request, reply, tenant, outcome.user, [AMR_PASSWORD]);
        deps.audit.record({ ...record, result: 'success', userId: outcome.user.id });
        request.log.info({ ...request.logFields, event: 'login', userId: outcome.user.id }, 'user signed in to the account page');
        return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/account`);
      }
    }
  });
}
