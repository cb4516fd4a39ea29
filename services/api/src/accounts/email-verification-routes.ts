import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from '@lanyard/config';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import type { ActionTokenService } from '../domain/accounts/action-token-service.js';
import type { EmailVerification } from '../domain/accounts/email-verification-service.js';
import { withResponseFloor } from '../domain/accounts/response-floor.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderConfirmPage, renderEmailRequestPage, renderNoticePage } from '../pages/account-pages.js';
import type { FormCsrf } from './form-csrf.js';
import { REFUSAL_REASON, REFUSAL_STATUS, renderLinkRefused } from './link-refused.js';
import { chargeAccountRequest, looksLikeEmail, PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage, type AccountRequestLimitDeps } from './page-kit.js';
import { carry, continueToSignIn, resumable, signInHref, type ResumeDeps } from './resume.js';

export interface EmailVerificationRoutesDeps extends AccountRequestLimitDeps, ResumeDeps {
  readonly tenants: TenantLookup;
  readonly emailVerification: Pick<EmailVerification, 'resend' | 'confirm'>;
  readonly actionTokens: Pick<ActionTokenService, 'check'>;
  readonly formCsrf: FormCsrf;
  readonly audit: AuditRecorder;
  readonly config: AccountRequestLimitDeps['config'] & Pick<ApiConfig, 'ACCOUNT_RESPONSE_FLOOR_MS'>;
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

  app.get('/tenants/:tenant/email/verify/resend', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const query = readQuery(request);
    const interaction = await resumable(deps, request, tenant, query.get('interaction'));
    return sendPage(reply, resendForm(tenant, interaction?.id, deps.formCsrf.forBrowser(request, reply, tenant.name, 'resend-verification'), ''));
  });

  app.post('/tenants/:tenant/email/verify/resend', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, 'resend-verification', form.get('csrf_token'));
    const interaction = await resumable(deps, request, tenant, form.get('interaction'));
    await chargeAccountRequest(deps, request, tenant);
    const email = (form.get('email') ?? '').trim();
    if (!looksLikeEmail(email)) {
      return sendPage(reply, resendForm(tenant, interaction?.id, deps.formCsrf.forBrowser(request, reply, tenant.name, 'resend-verification'), email.slice(0, 254), 'Enter a valid email address.'), 422);
    }
    await withResponseFloor(deps.config.ACCOUNT_RESPONSE_FLOOR_MS, () => deps.emailVerification.resend(tenant, email, { interactionId: interaction?.id }));
    return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/email/verify/sent${carry(interaction?.id)}`);
  });

  app.get('/tenants/:tenant/email/verify/sent', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const interaction = await resumable(deps, request, tenant, readQuery(request).get('interaction'));
    return sendPage(
      reply,
      renderNoticePage({
        ...pageTenant(tenant),
        title: 'Check your inbox',
        message: 'If that address has an account waiting for confirmation, a new link is on its way.',
        links: [['Sign in', signInHref(pageBase(tenant), interaction?.id)]],
      }),
    );
  });

  function resendForm(tenant: Tenant, interactionId: string | undefined, csrf: string, email: string, error?: string): string {
    return renderEmailRequestPage({
      ...pageTenant(tenant),
      title: 'Confirm your email address',
      intro: 'Enter your address and we will send you a new confirmation link.',
      action: `${pageBase(tenant)}/email/verify/resend`,
      hidden: { csrf_token: csrf, interaction: interactionId },
      email,
      button: 'Send link',
      error,
      backHref: signInHref(pageBase(tenant), interactionId),
    });
  }
}
