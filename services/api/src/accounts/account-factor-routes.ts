import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import type { AccountMailer } from '../domain/accounts/account-mailer.js';
import type { PasswordSignInDeps } from '../domain/accounts/password-sign-in.js';
import { mfaPolicy } from '../domain/mfa/mfa-policy.js';
import type { SecondFactors } from '../domain/mfa/second-factors.js';
import type { SessionService } from '../domain/sessions/session-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { AMR_MFA, AMR_OTP } from '../domain/tokens/authentication-context.js';
import { startBrowserSession, type StartSessionDeps } from '../oauth/interaction/start-browser-session.js';
import { renderRecoveryCodesPage, renderTotpEnrolPage } from '../pages/second-factor-pages.js';
import { confirmAccountOwner } from './confirm-account-owner.js';
import { factorSession } from './factor-session.js';
import { noticeFactorAdded } from './factor-added-notice.js';
import { ENROL_ERRORS, enrolmentCodes } from './factor-enrolment-routes.js';
import type { FormCsrf } from './form-csrf.js';
import { PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage } from './page-kit.js';
import type { RecoveryCodeView } from './recovery-code-view.js';

export interface AccountFactorRoutesDeps extends PasswordSignInDeps, StartSessionDeps {
  readonly tenants: TenantLookup;
  readonly sessions: Pick<SessionService, 'find' | 'create' | 'revoke'>;
  readonly secondFactors: SecondFactors;
  readonly recoveryCodeView: RecoveryCodeView;
  readonly formCsrf: FormCsrf;
  readonly audit: AuditRecorder;
  readonly mailer: Pick<AccountMailer, 'notify' | 'now'>;
}

const PURPOSE = 'mfa';

/**
 * Second factors on the account page (`{issuer}/account/totp…`, `…/account/recovery-codes`).
 * Rules:
 * - every route needs a live session of this issuer that satisfies the user's factors (the
 *   account page itself sends others through the second factor first); forms carry the session's
 *   `mfa` CSRF token and answer 303;
 * - setting up shows a new secret as a QR code and text, and a first right code confirms it; the
 *   browser then gets a fresh session with `amr` `pwd`, `otp`, `mfa` (it just used both), the
 *   owner is mailed, and the ten recovery codes are shown once;
 * - new recovery codes (for a user with any second factor) and removing the app need the current
 *   password (counted like a sign-in), or a recent sign-in from a user without one
 *   ({@link confirmAccountOwner}); removing the app is refused while the tenant requires a
 *   second factor and the user has no passkey; the codes stay while a passkey does
 *   ({@link SecondFactors.removeAuthenticatorApp}).
 */
export function registerAccountFactorRoutes(app: FastifyInstance, deps: AccountFactorRoutesDeps): void {
  const account = (tenant: Tenant) => `${deps.tenants.issuer(tenant.name)}/account`;
  const signedIn = (request: FastifyRequest, reply: FastifyReply, csrf?: string) => factorSession(deps, request, reply, csrf);

  app.post('/tenants/:tenant/account/totp/start', PAGE_ROUTE, async (request, reply) => {
    const s = await signedIn(request, reply, readForm(request).get('csrf_token'));
    if (s.redirected !== undefined) return s.redirected;
    const started = await deps.secondFactors.totp.startEnrolment(s.active.user);
    if (started.kind === 'already_enrolled') return seeOther(reply, `${account(s.tenant)}?error=already_enrolled`);
    return seeOther(reply, `${account(s.tenant)}/totp`);
  });

  app.get('/tenants/:tenant/account/totp', PAGE_ROUTE, async (request, reply) => {
    const s = await signedIn(request, reply);
    if (s.redirected !== undefined) return s.redirected;
    const secret = await deps.secondFactors.totp.pendingSecret(s.active.user.id);
    if (secret === undefined) return seeOther(reply, account(s.tenant));
    const code = readQuery(request).get('error');
    return sendPage(
      reply,
      renderTotpEnrolPage({
        ...pageTenant(s.tenant),
        action: `${pageBase(s.tenant)}/account/totp/confirm`,
        csrfToken: deps.formCsrf.forSession(s.active.session.id, PURPOSE),
        ...(await enrolmentCodes(secret, s.tenant, s.active.user)),
        error: code !== undefined && Object.hasOwn(ENROL_ERRORS, code) ? ENROL_ERRORS[code as keyof typeof ENROL_ERRORS] : undefined,
        cancelHref: `${pageBase(s.tenant)}/account`,
      }),
    );
  });

  app.post('/tenants/:tenant/account/totp/confirm', PAGE_ROUTE, async (request, reply) => {
    const form = readForm(request);
    const s = await signedIn(request, reply, form.get('csrf_token'));
    if (s.redirected !== undefined) return s.redirected;
    const { tenant, active } = s;
    const confirmed = await deps.secondFactors.totp.confirm(active.user.id, (form.get('code') ?? '').slice(0, 64));
    if (!confirmed.ok) {
      if (confirmed.reason === 'not_pending') return seeOther(reply, account(tenant));
      return seeOther(reply, `${account(tenant)}/totp?error=${confirmed.reason === 'replayed' ? 'otp_replayed' : 'otp_invalid'}`);
    }
    const codes = await deps.secondFactors.recoveryCodes.generate(active.user.id);
    // Both factors were just used in this browser: its session says so from now on.
    const session = await startBrowserSession(deps, request, reply, tenant, active.user, [...new Set([...active.session.amr, AMR_OTP, AMR_MFA])]);
    await deps.recoveryCodeView.hold(session.id, { codes, notice: 'totp_enabled' });
    await noticeFactorAdded(deps, tenant, active.user);
    request.log.info({ ...request.logFields, event: 'mfa_enrolled', userId: active.user.id }, 'authenticator app added on the account page');
    return seeOther(reply, `${account(tenant)}/recovery-codes`);
  });

  app.get('/tenants/:tenant/account/recovery-codes', PAGE_ROUTE, async (request, reply) => {
    const s = await signedIn(request, reply);
    if (s.redirected !== undefined) return s.redirected;
    const held = await deps.recoveryCodeView.take(s.active.session.id);
    if (held === undefined) return seeOther(reply, account(s.tenant));
    return sendPage(reply, renderRecoveryCodesPage({ ...pageTenant(s.tenant), codes: held.codes, continueHref: `${pageBase(s.tenant)}/account?notice=${held.notice}` }));
  });

  app.post('/tenants/:tenant/account/recovery-codes', PAGE_ROUTE, async (request, reply) => {
    const form = readForm(request);
    const s = await signedIn(request, reply, form.get('csrf_token'));
    if (s.redirected !== undefined) return s.redirected;
    const { tenant, active } = s;
    if (!(await deps.secondFactors.hasAny(active.user.id))) return seeOther(reply, `${account(tenant)}?error=no_second_factor`);
    const wrong = await confirmAccountOwner(deps, tenant, active, form.get('codes_password') ?? '', request.ip);
    if (wrong !== undefined) return seeOther(reply, `${account(tenant)}?error=${wrong}`);
    await deps.recoveryCodeView.hold(active.session.id, { codes: await deps.secondFactors.recoveryCodes.generate(active.user.id), notice: 'codes_regenerated' });
    request.log.info({ ...request.logFields, event: 'recovery_codes_regenerated', userId: active.user.id }, 'new recovery codes');
    return seeOther(reply, `${account(tenant)}/recovery-codes`);
  });

  app.post('/tenants/:tenant/account/totp/remove', PAGE_ROUTE, async (request, reply) => {
    const form = readForm(request);
    const s = await signedIn(request, reply, form.get('csrf_token'));
    if (s.redirected !== undefined) return s.redirected;
    const { tenant, active } = s;
    const wrong = await confirmAccountOwner(deps, tenant, active, form.get('remove_password') ?? '', request.ip);
    if (wrong !== undefined) return seeOther(reply, `${account(tenant)}?error=${wrong}`);
    const removal = await deps.secondFactors.removeAuthenticatorApp(active.user.id, mfaPolicy(tenant).policy === 'required');
    if (removal.kind === 'unknown') return seeOther(reply, `${account(tenant)}?error=no_factor`);
    if (removal.kind === 'last_factor') return seeOther(reply, `${account(tenant)}?error=factor_required`);
    const stillOn = removal.factorsLeft;
    request.log.info({ ...request.logFields, event: 'mfa_removed', userId: active.user.id, factor: 'totp' }, stillOn ? 'user removed their authenticator app' : 'user turned off two-step verification');
    return seeOther(reply, `${account(tenant)}?notice=${stillOn ? 'totp_removed_passkeys_kept' : 'totp_removed'}`);
  });
}
