import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from '@lanyard/config';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import { accountPolicy } from '../domain/accounts/account-policy.js';
import { PASSWORD_PROBLEM_MESSAGES } from '../domain/accounts/password-policy.js';
import { withResponseFloor } from '../domain/accounts/response-floor.js';
import type { SignupService } from '../domain/accounts/signup-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderNoticePage, renderSignupPage } from '../pages/account-pages.js';
import type { FormCsrf } from './form-csrf.js';
import { chargeAccountRequest, looksLikeEmail, PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage, type AccountRequestLimitDeps } from './page-kit.js';
import { carry, resumable, signInHref, type ResumeDeps } from './resume.js';

export interface SignupRoutesDeps extends AccountRequestLimitDeps, ResumeDeps {
  readonly tenants: TenantLookup;
  readonly signup: Pick<SignupService, 'signUp'>;
  readonly formCsrf: FormCsrf;
  readonly audit: AuditRecorder;
  readonly config: AccountRequestLimitDeps['config'] & Pick<ApiConfig, 'ACCOUNT_RESPONSE_FLOOR_MS'>;
}

const PURPOSE = 'signup';

/**
 * `{issuer}/signup`. Rules:
 * - offered only when the tenant's policy is `open`; `invite-only` and `closed` answer 403 with a
 *   page that says so, on GET and POST alike;
 * - the answer to a valid form is the same 303 to "check your inbox" whether or not the address
 *   was registered, after the same minimum time (ACCOUNT_RESPONSE_FLOOR_MS);
 * - `interaction` carries an app's pending sign-in through, so it resumes once the user signs in.
 */
export function registerSignupRoutes(app: FastifyInstance, deps: SignupRoutesDeps): void {
  const closedPage = (tenant: Tenant, policy: 'invite-only' | 'closed', interactionId: string | undefined) =>
    renderNoticePage({
      ...pageTenant(tenant),
      kind: 'error',
      title: 'Sign-up is not available',
      message: policy === 'invite-only' ? `${tenant.displayName} accounts are by invitation only. Ask an administrator for an invitation.` : `New ${tenant.displayName} accounts are created by an administrator.`,
      links: [['Sign in', signInHref(pageBase(tenant), interactionId)]],
    });

  app.get('/tenants/:tenant/signup', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const interaction = await resumable(deps, request, tenant, readQuery(request).get('interaction'));
    const policy = accountPolicy(tenant);
    if (policy.signup !== 'open') return sendPage(reply, closedPage(tenant, policy.signup, interaction?.id), 403);
    return sendPage(reply, signupForm(tenant, interaction?.id, deps.formCsrf.forBrowser(request, reply, tenant.name, PURPOSE), '', '', policy.passwordMinLength));
  });

  app.post('/tenants/:tenant/signup', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    deps.formCsrf.checkBrowser(request, tenant.name, PURPOSE, form.get('csrf_token'));
    const interaction = await resumable(deps, request, tenant, form.get('interaction'));
    const audit = (result: 'success' | 'failure', reason?: 'signup_not_allowed' | 'weak_password' | 'invalid_request' | 'rate_limited') =>
      deps.audit.record({ tenant: tenant.name, event: 'signup', result, ...(reason ? { reason } : {}), clientId: interaction?.request.clientId ?? null, ip: request.ip, requestId: request.id });
    const policy = accountPolicy(tenant);
    if (policy.signup !== 'open') {
      audit('failure', 'signup_not_allowed');
      return sendPage(reply, closedPage(tenant, policy.signup, interaction?.id), 403);
    }
    try {
      await chargeAccountRequest(deps, request, tenant);
    } catch (error) {
      audit('failure', 'rate_limited');
      throw error;
    }
    const email = (form.get('email') ?? '').trim();
    const name = (form.get('name') ?? '').trim().slice(0, 200);
    const csrf = deps.formCsrf.forBrowser(request, reply, tenant.name, PURPOSE);
    if (!looksLikeEmail(email)) {
      audit('failure', 'invalid_request');
      return sendPage(reply, signupForm(tenant, interaction?.id, csrf, email.slice(0, 254), name, policy.passwordMinLength, 'Enter a valid email address.'), 422);
    }
    const outcome = await withResponseFloor(deps.config.ACCOUNT_RESPONSE_FLOOR_MS, () =>
      deps.signup.signUp(tenant, { email, password: form.get('password') ?? '', name: name === '' ? undefined : name }, { interactionId: interaction?.id }),
    );
    if (outcome.kind === 'not_allowed') {
      audit('failure', 'signup_not_allowed');
      return sendPage(reply, closedPage(tenant, outcome.policy, interaction?.id), 403);
    }
    if (outcome.kind === 'weak_password') {
      audit('failure', 'weak_password');
      return sendPage(reply, signupForm(tenant, interaction?.id, csrf, email, name, outcome.minLength, PASSWORD_PROBLEM_MESSAGES[outcome.problem](outcome.minLength)), 422);
    }
    // The same record and answer for a new and an existing address; only the mailbox learns which.
    audit('success');
    request.log.info({ ...request.logFields, event: 'signup' }, 'sign-up accepted');
    return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/signup/sent${carry(interaction?.id)}`);
  });

  app.get('/tenants/:tenant/signup/sent', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const interaction = await resumable(deps, request, tenant, readQuery(request).get('interaction'));
    const base = pageBase(tenant);
    const policy = accountPolicy(tenant);
    return sendPage(
      reply,
      renderNoticePage({
        ...pageTenant(tenant),
        title: 'Check your inbox',
        message: policy.requireVerifiedEmail
          ? 'We sent a message to the address you entered. Open the link in it to confirm your address, then sign in.'
          : 'We sent a message to the address you entered to confirm it. You can sign in now.',
        links: [
          ['Sign in', signInHref(base, interaction?.id)],
          ['No email? Send it again', `${base}/email/verify/resend${carry(interaction?.id)}`],
        ],
      }),
    );
  });

  function signupForm(tenant: Tenant, interactionId: string | undefined, csrf: string, email: string, name: string, minLength: number, error?: string): string {
    const base = pageBase(tenant);
    return renderSignupPage({
      ...pageTenant(tenant),
      action: `${base}/signup`,
      hidden: { csrf_token: csrf, interaction: interactionId },
      email,
      name,
      minLength,
      error,
      signInHref: signInHref(base, interactionId),
    });
  }
}
