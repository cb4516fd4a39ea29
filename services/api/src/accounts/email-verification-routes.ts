import type { FastifyInstance } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import type { ActionTokenService } from '../domain/accounts/action-token-service.js';
import type { EmailVerification } from '../domain/accounts/email-verification-service.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderConfirmPage } from '../pages/account-pages.js';
import { registerEmailRequestRoutes, type EmailRequestDeps } from './email-request-routes.js';
import { REFUSAL_REASON, REFUSAL_STATUS, renderLinkRefused } from './link-refused.js';
import { PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage } from './page-kit.js';
import { continueToSignIn } from './resume.js';

export interface EmailVerificationRoutesDeps extends EmailRequestDeps {
  readonly emailVerification: Pick<EmailVerification, 'resend' | 'confirm'>;
  readonly actionTokens: Pick<ActionTokenService, 'check'>;
  readonly audit: AuditRecorder;
}

/**
 * Email verification: `{issuer}/email/verify?token=…` shows a confirm button (the GET changes
 * nothing: mail scanners open links), its POST verifies; `{issuer}/email/verify/resend` mails a new
 * link and answers the same whether or not the address has an unverified account.
 */
export function registerEmailVerificationRoutes(app: FastifyInstance, deps: EmailVerificationRoutesDeps): void {
  const resendLink = (tenant: Tenant) => ({ label: 'Send a new link', href: `${pageBase(tenant)}/email/verify/resend` });

  app.get('/tenants/:tenant/email/verify', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const token = readQuery(request).get('token');
    const checked = await deps.actionTokens.check(tenant.id, 'email_verification', token);
    if (!checked.ok) return sendPage(reply, renderLinkRefused(tenant, checked.reason, resendLink(tenant)), REFUSAL_STATUS[checked.reason]);
    return sendPage(
      reply,
      renderConfirmPage({
        ...pageTenant(tenant),
        title: 'Confirm your email address',
        intro: `Confirm that ${checked.user.email} is your address.`,
        action: `${pageBase(tenant)}/email/verify`,
        hidden: { token, csrf_token: deps.formCsrf.forBrowser(request, reply, tenant.name, 'verify-email') },
        button: 'Confirm email address',
      }),
    );
  });

  app.post('/tenants/:tenant/email/verify', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, 'verify-email', form.get('csrf_token'));
    const outcome = await deps.emailVerification.confirm(tenant, form.get('token'));
    const record = { tenant: tenant.name, event: 'email_verification', ip: request.ip, requestId: request.id } as const;
    if (!outcome.ok) {
      deps.audit.record({ ...record, result: 'failure', reason: REFUSAL_REASON[outcome.reason] });
      return sendPage(reply, renderLinkRefused(tenant, outcome.reason, resendLink(tenant)), REFUSAL_STATUS[outcome.reason]);
    }
    deps.audit.record({ ...record, result: 'success', userId: outcome.user.id });
    request.log.info({ ...request.logFields, event: 'email_verification', userId: outcome.user.id }, 'email address verified');
    return seeOther(reply, await continueToSignIn(deps, request, tenant, deps.tenants.issuer(tenant.name), outcome.interactionId, 'verified', outcome.user.email));
  });

  registerEmailRequestRoutes(app, deps, {
    path: '/email/verify/resend',
    purpose: 'resend-verification',
    title: 'Confirm your email address',
    intro: 'Enter your address and we will send you a new confirmation link.',
    sentMessage: 'If that address has an account waiting for confirmation, a new link is on its way.',
    send: (tenant, email, resume) => deps.emailVerification.resend(tenant, email, resume),
  });
}
