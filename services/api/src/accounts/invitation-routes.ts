import type { FastifyInstance } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import { accountPolicy } from '../domain/accounts/account-policy.js';
import type { Invitations } from '../domain/accounts/invitation-service.js';
import { PASSWORD_PROBLEM_MESSAGES } from '../domain/accounts/password-policy.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { startBrowserSession, type StartSessionDeps } from '../oauth/interaction/start-browser-session.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderNewPasswordPage } from '../pages/account-pages.js';
import type { FormCsrf } from './form-csrf.js';
import { REFUSAL_REASON, REFUSAL_STATUS, renderLinkRefused } from './link-refused.js';
import { PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage } from './page-kit.js';

export interface InvitationRoutesDeps extends StartSessionDeps {
  readonly tenants: TenantLookup;
  readonly invitations: Pick<Invitations, 'check' | 'accept'>;
  readonly formCsrf: FormCsrf;
  readonly audit: AuditRecorder;
}

/**
 * `{issuer}/invitation?token=…`: the invited person chooses a password (and a name); the account is
 * then verified and signed in, and lands on the account page.
 */
export function registerInvitationRoutes(app: FastifyInstance, deps: InvitationRoutesDeps): void {
  const askAdmin = (tenant: Tenant) => ({ label: 'Sign in', href: `${pageBase(tenant)}/account/login` });

  app.get('/tenants/:tenant/invitation', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const token = readQuery(request).get('token');
    const checked = await deps.invitations.check(tenant, token);
    if (!checked.ok) return sendPage(reply, renderLinkRefused(tenant, checked.reason, askAdmin(tenant)), REFUSAL_STATUS[checked.reason]);
    return sendPage(reply, invitationForm(tenant, token!, deps.formCsrf.forBrowser(request, reply, tenant.name, 'invitation'), checked.user.email, checked.user.name ?? ''));
  });

  app.post('/tenants/:tenant/invitation', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, 'invitation', form.get('csrf_token'));
    const token = form.get('token');
    const name = (form.get('name') ?? '').trim().slice(0, 200);
    const outcome = await deps.invitations.accept(tenant, token, { password: form.get('password') ?? '', name });
    const record = { tenant: tenant.name, event: 'signup', ip: request.ip, requestId: request.id } as const;
    if (!outcome.ok) {
      if (outcome.reason === 'weak_password') {
        deps.audit.record({ ...record, result: 'failure', reason: 'weak_password' });
        const csrf = deps.formCsrf.forBrowser(request, reply, tenant.name, 'invitation');
        return sendPage(reply, invitationForm(tenant, token!, csrf, undefined, name, PASSWORD_PROBLEM_MESSAGES[outcome.problem](outcome.minLength)), 422);
      }
      deps.audit.record({ ...record, result: 'failure', reason: REFUSAL_REASON[outcome.reason] });
      return sendPage(reply, renderLinkRefused(tenant, outcome.reason, askAdmin(tenant)), REFUSAL_STATUS[outcome.reason]);
    }
    deps.audit.record({ ...record, result: 'success', userId: outcome.user.id });
    request.log.info({ ...request.logFields, event: 'signup', userId: outcome.user.id, via: 'invitation' }, 'invitation accepted');
    await startBrowserSession(deps, request, reply, tenant, outcome.user, ['pwd']);
    return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/account?notice=welcome`);
  });

  function invitationForm(tenant: Tenant, token: string, csrf: string, email: string | undefined, name: string, error?: string): string {
    return renderNewPasswordPage({
      ...pageTenant(tenant),
      title: `Join ${tenant.displayName}`,
      intro: email === undefined ? 'Choose a password to finish creating your account.' : `You were invited to create an account for ${email}. Choose a password to finish.`,
      action: `${pageBase(tenant)}/invitation`,
      hidden: { token, csrf_token: csrf },
      minLength: accountPolicy(tenant).passwordMinLength,
      askName: { value: name },
      button: 'Create account',
      error,
    });
  }
}
