import type { FastifyInstance } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { ActionTokenService } from '../domain/accounts/action-token-service.js';
import type { EmailChange } from '../domain/accounts/email-change-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderConfirmPage, renderNoticePage } from '../pages/account-pages.js';
import type { FormCsrf } from './form-csrf.js';
import { REFUSAL_STATUS, renderLinkRefused } from './link-refused.js';
import { PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage } from './page-kit.js';

export interface EmailChangeRoutesDeps {
  readonly tenants: TenantLookup;
  readonly emailChange: Pick<EmailChange, 'confirm'>;
  readonly actionTokens: Pick<ActionTokenService, 'check'>;
  readonly formCsrf: FormCsrf;
}

/**
 * `{issuer}/email/confirm?token=…`: the link mailed to a new address. Its GET shows a button; the
 * POST switches the account to the address (the old one is told by email).
 */
export function registerEmailChangeRoutes(app: FastifyInstance, deps: EmailChangeRoutesDeps): void {
  const toAccount = (tenant: Tenant) => ({ label: 'Go to your account', href: `${pageBase(tenant)}/account` });

  app.get('/tenants/:tenant/email/confirm', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const token = readQuery(request).get('token');
    const checked = await deps.actionTokens.check(tenant.id, 'email_change', token);
    if (!checked.ok) return sendPage(reply, renderLinkRefused(tenant, checked.reason, toAccount(tenant)), REFUSAL_STATUS[checked.reason]);
    return sendPage(
      reply,
      renderConfirmPage({
        ...pageTenant(tenant),
        title: 'Confirm your new email address',
        intro: `Use ${checked.token.data.email ?? 'this address'} for your ${tenant.displayName} account from now on.`,
        action: `${pageBase(tenant)}/email/confirm`,
        hidden: { token, csrf_token: deps.formCsrf.forBrowser(request, reply, tenant.name, 'email-change') },
        button: 'Use this address',
      }),
    );
  });

  app.post('/tenants/:tenant/email/confirm', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, 'email-change', form.get('csrf_token'));
    const outcome = await deps.emailChange.confirm(tenant, form.get('token'));
    if (!outcome.ok) {
      if (outcome.reason === 'address_taken') {
        return sendPage(reply, renderNoticePage({ ...pageTenant(tenant), kind: 'error', title: 'Address already in use', message: 'Another account uses this address now, so it cannot become yours.', links: [[toAccount(tenant).label, toAccount(tenant).href]] }), 409);
      }
      return sendPage(reply, renderLinkRefused(tenant, outcome.reason, toAccount(tenant)), REFUSAL_STATUS[outcome.reason]);
    }
    request.log.info({ ...request.logFields, event: 'email_changed', userId: outcome.user.id }, 'email address changed');
    return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/email/changed`);
  });

  app.get('/tenants/:tenant/email/changed', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    return sendPage(reply, renderNoticePage({ ...pageTenant(tenant), title: 'Email address changed', message: 'Your account now uses the new address. Sign in with it from now on.', links: [[toAccount(tenant).label, toAccount(tenant).href]] }));
  });
}
