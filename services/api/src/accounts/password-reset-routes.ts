import type { FastifyInstance } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import { accountPolicy } from '../domain/accounts/account-policy.js';
import { PASSWORD_PROBLEM_MESSAGES } from '../domain/accounts/password-policy.js';
import type { PasswordReset } from '../domain/accounts/password-reset-service.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderNewPasswordPage } from '../pages/account-pages.js';
import { registerEmailRequestRoutes, type EmailRequestDeps } from './email-request-routes.js';
import { REFUSAL_REASON, REFUSAL_STATUS, renderLinkRefused } from './link-refused.js';
import { PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage } from './page-kit.js';
import { continueToSignIn } from './resume.js';

export interface PasswordResetRoutesDeps extends EmailRequestDeps {
  readonly passwordReset: Pick<PasswordReset, 'request' | 'check' | 'reset'>;
  readonly audit: AuditRecorder;
}

/**
 * Forgotten passwords: `{issuer}/password/forgot` asks for the address and always answers "check
 * your inbox" (same page, same minimum time); `{issuer}/password/reset?token=…` sets a new password.
 * A completed reset signs the user out everywhere and continues to sign-in (the app's, if the
 * request started there and this is the same browser).
 */
export function registerPasswordResetRoutes(app: FastifyInstance, deps: PasswordResetRoutesDeps): void {
  const forgotLink = (tenant: Tenant) => ({ label: 'Ask for a new link', href: `${pageBase(tenant)}/password/forgot` });

  registerEmailRequestRoutes(app, deps, {
    path: '/password/forgot',
    purpose: 'forgot-password',
    title: 'Forgot your password?',
    intro: 'Enter the address of your account and we will send you a link to choose a new password.',
    sentMessage: 'If that address has an account, we sent it a link to choose a new password. The link works once.',
    send: (tenant, email, resume) => deps.passwordReset.request(tenant, email, resume),
  });

  app.get('/tenants/:tenant/password/reset', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const token = readQuery(request).get('token');
    const checked = await deps.passwordReset.check(tenant, token);
    if (!checked.ok) return sendPage(reply, renderLinkRefused(tenant, checked.reason, forgotLink(tenant)), REFUSAL_STATUS[checked.reason]);
    return sendPage(reply, resetForm(tenant, token!, deps.formCsrf.forBrowser(request, reply, tenant.name, 'reset-password'), checked.user.email));
  });

  app.post('/tenants/:tenant/password/reset', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, 'reset-password', form.get('csrf_token'));
    const token = form.get('token');
    const outcome = await deps.passwordReset.reset(tenant, token, form.get('password') ?? '');
    const record = { tenant: tenant.name, event: 'password_reset', ip: request.ip, requestId: request.id } as const;
    if (!outcome.ok) {
      if (outcome.reason === 'weak_password') {
        deps.audit.record({ ...record, result: 'failure', reason: 'weak_password' });
        const csrf = deps.formCsrf.forBrowser(request, reply, tenant.name, 'reset-password');
        return sendPage(reply, resetForm(tenant, token!, csrf, undefined, PASSWORD_PROBLEM_MESSAGES[outcome.problem](outcome.minLength)), 422);
      }
      deps.audit.record({ ...record, result: 'failure', reason: REFUSAL_REASON[outcome.reason] });
      return sendPage(reply, renderLinkRefused(tenant, outcome.reason, forgotLink(tenant)), REFUSAL_STATUS[outcome.reason]);
    }
    deps.audit.record({ ...record, result: 'success', userId: outcome.user.id });
    request.log.info({ ...request.logFields, event: 'password_reset', userId: outcome.user.id }, 'password reset; sessions and refresh tokens revoked');
    return seeOther(reply, await continueToSignIn(deps, request, tenant, deps.tenants.issuer(tenant.name), outcome.interactionId, 'password_reset', outcome.user.email));
  });

  function resetForm(tenant: Tenant, token: string, csrf: string, email: string | undefined, error?: string): string {
    return renderNewPasswordPage({
      ...pageTenant(tenant),
      title: 'Choose a new password',
      intro: email === undefined ? 'Choose a new password for your account.' : `Choose a new password for ${email}. You will be signed out everywhere.`,
      action: `${pageBase(tenant)}/password/reset`,
      hidden: { token, csrf_token: csrf },
      minLength: accountPolicy(tenant).passwordMinLength,
      button: 'Set new password',
      error,
    });
  }
}
