import type { FastifyInstance } from 'fastify';
import type { Tenant, User } from '@lanyard/db';
import type { PendingSignIn } from '../oauth/interaction/pending-sign-in.js';
import type { AccountMailer } from '../domain/accounts/account-mailer.js';
import { passkeyName } from '../domain/mfa/passkey-name.js';
import { passkeyAmr } from '../domain/mfa/passkey-service.js';
import type { SecondFactors } from '../domain/mfa/second-factors.js';
import { totpSecretText, totpUri } from '../domain/mfa/totp-code.js';
import { AMR_MFA, AMR_OTP } from '../domain/tokens/authentication-context.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { qrCodeSvg } from '../pages/qr-code.js';
import { renderRecoveryCodesPage, renderTotpEnrolPage } from '../pages/second-factor-pages.js';
import type { WebauthnChallenges } from '../oauth/interaction/webauthn-challenges.js';
import { noticeFactorAdded, noticePasskeyAdded } from './factor-added-notice.js';
import { startCeremony } from './passkey-ceremony.js';
import { completePendingSignIn, loadPendingSignIn, PENDING_EXPIRED, type PendingCompletionDeps } from './pending-sign-in-completion.js';
import { PAGE_ROUTE, pageBase, pageTenant, readForm, readQuery, seeOther, sendPage } from './page-kit.js';
import { PASSKEY_NAME_MESSAGES } from './sign-in-messages.js';
import { InvalidRequest } from '@lanyard/errors';

export interface FactorEnrolmentRoutesDeps extends PendingCompletionDeps {
  readonly secondFactors: SecondFactors;
  readonly webauthnChallenges: WebauthnChallenges;
  readonly mailer: Pick<AccountMailer, 'notify' | 'now'>;
}

export const ENROL_ERRORS = {
  otp_invalid: 'That code is not right. Scan the QR code again, or check that your phone shows the time correctly.',
  otp_replayed: 'That code was used already. Wait for the app to show a new one.',
  not_pending: 'Setting up took too long. Scan the new QR code below.',
} as const;

/** The sign-in's enrolment page adds these for its passkey form. */
const PASSKEY_ENROL_ERRORS = {
  passkey_failed: 'The passkey could not be added. Try again, or set up an authenticator app.',
  ...PASSKEY_NAME_MESSAGES,
} as const;
const SIGN_IN_ENROL_ERRORS = { ...ENROL_ERRORS, ...PASSKEY_ENROL_ERRORS };

/** The page's QR code and key for a pending secret. */
export async function enrolmentCodes(secret: Buffer, tenant: Tenant, user: User) {
  return { qrCode: await qrCodeSvg(totpUri(secret, tenant.displayName, user.email), `QR code to add ${tenant.displayName} to an authenticator app`), secretText: totpSecretText(secret) };
}

/**
 * `{issuer}/login/enrol`: a sign-in that must set up a second factor before it goes on (the
 * client or the request asks for one, or the tenant requires one). Rules:
 * - the page shows a new secret as a QR code and as text; a first right code confirms it;
 * - the recovery codes are shown once, on the next page, then the sign-in completes with
 *   `amr` `pwd`, `otp`, `mfa`;
 * - or the user adds a passkey instead, named under the account page's rule, against a challenge
 *   issued to this pending sign-in (used once); the unconfirmed secret is dropped, the owner is
 *   mailed, its recovery codes are shown once (as an app's are), and the sign-in completes with
 *   `amr` `pwd`, `hwk` or `swk`, `mfa`;
 * - while the tenant's grace period runs, "Not now" completes the sign-in with the password alone
 *   and the request is not asked again.
 */
export function registerFactorEnrolmentRoutes(app: FastifyInstance, deps: FactorEnrolmentRoutesDeps): void {
  const base = (tenant: Tenant) => `${pageBase(tenant)}/login/enrol`;
  /** The secret the page showed was never confirmed: drop it, so whoever saw it cannot confirm it later. */
  const dropUnconfirmedSecret = async (userId: string) => {
    if ((await deps.secondFactors.totp.pendingSecret(userId)) !== undefined) await deps.secondFactors.totp.remove(userId);
  };
  const issuerEnrol = (tenant: Tenant) => `${deps.tenants.issuer(tenant.name)}/login/enrol`;

  app.get('/tenants/:tenant/login/enrol', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { pending, user } = await loadPendingSignIn(deps, request, tenant);
    if (pending.enrolledCodes !== undefined) return seeOther(reply, `${issuerEnrol(tenant)}/codes`);
    let secret = await deps.secondFactors.totp.pendingSecret(user.id);
    if (secret === undefined) {
      const started = await deps.secondFactors.totp.startEnrolment(user);
      // Enrolled meanwhile (another tab): this sign-in asks for a code instead.
      if (started.kind === 'already_enrolled') return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/login/second-factor`);
      secret = started.secret;
    }
    const code = readQuery(request).get('error');
    const error = code !== undefined && Object.hasOwn(SIGN_IN_ENROL_ERRORS, code) ? SIGN_IN_ENROL_ERRORS[code as keyof typeof SIGN_IN_ENROL_ERRORS] : undefined;
    const until = user.mfaEnrolmentDueAt === null ? undefined : `${user.mfaEnrolmentDueAt.toISOString().slice(0, 10)}`;
    const ceremony = await startCeremony(deps.webauthnChallenges, await deps.secondFactors.passkeys.registrationOptions(tenant, user), `enrol:${pending.csrfToken}`);
    return sendPage(
      reply,
      renderTotpEnrolPage({
        ...pageTenant(tenant),
        action: base(tenant),
        csrfToken: pending.csrfToken,
        ...(await enrolmentCodes(secret, tenant, user)),
        error,
        later: pending.deferrable === true && until !== undefined ? { action: `${base(tenant)}/later`, until } : undefined,
        passkey: { action: `${base(tenant)}/passkey`, ceremony },
      }),
      200,
      ceremony.nonce,
      pending.formAction,
    );
  });

  app.post('/tenants/:tenant/login/enrol/passkey', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    const { pending, user } = await loadPendingSignIn(deps, request, tenant, form.get('csrf_token'));
    // An app confirmed meanwhile (another tab): its recovery codes are due first.
    if (pending.enrolledCodes !== undefined) return seeOther(reply, `${issuerEnrol(tenant)}/codes`);
    const challenge = await deps.webauthnChallenges.take(`enrol:${pending.csrfToken}`);
    const name = passkeyName(form.get('passkey_name'));
    if (name === undefined) return seeOther(reply, `${issuerEnrol(tenant)}?error=passkey_name`);
    if (challenge === undefined) return seeOther(reply, `${issuerEnrol(tenant)}?error=passkey_failed`);
    const added = await deps.secondFactors.passkeys.register(user, form.get('credential') ?? '', challenge, name);
    if (!added.ok) {
      request.log.info({ ...request.logFields, event: 'passkey_refused', userId: user.id, reason: added.reason }, 'passkey registration refused during sign-in');
      return seeOther(reply, `${issuerEnrol(tenant)}?error=${added.reason === 'duplicate' ? 'passkey_duplicate' : 'passkey_failed'}`);
    }
    await dropUnconfirmedSecret(user.id);
    await noticePasskeyAdded(deps, tenant, user, added.credential);
    request.log.info({ ...request.logFields, event: 'mfa_enrolled', userId: user.id, factor: 'passkey' }, 'passkey added during sign-in');
    const method = passkeyAmr(added.credential);
    // Its first second factor (that is why it enrols): the codes that stand in for a lost key come next.
    const codes = await deps.secondFactors.recoveryCodes.generateFirst(user.id);
    if (codes === undefined) return completePendingSignIn(deps, request, reply, tenant, pending, user, [...new Set([...pending.amr, method, AMR_MFA])]);
    await deps.pendingSignIns.update(request, { ...pending, enrolledCodes: codes, enrolledMethod: method } satisfies PendingSignIn);
    return seeOther(reply, `${issuerEnrol(tenant)}/codes`);
  });

  app.post('/tenants/:tenant/login/enrol', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    const { pending, user } = await loadPendingSignIn(deps, request, tenant, form.get('csrf_token'));
    const confirmed = await deps.secondFactors.totp.confirm(user.id, (form.get('code') ?? '').slice(0, 64));
    if (!confirmed.ok) return seeOther(reply, `${issuerEnrol(tenant)}?error=${confirmed.reason === 'replayed' ? 'otp_replayed' : confirmed.reason === 'invalid' ? 'otp_invalid' : 'not_pending'}`);
    const codes = await deps.secondFactors.recoveryCodes.generate(user.id);
    await deps.pendingSignIns.update(request, { ...pending, enrolledCodes: codes } satisfies PendingSignIn);
    await noticeFactorAdded(deps, tenant, user);
    request.log.info({ ...request.logFields, event: 'mfa_enrolled', userId: user.id }, 'authenticator app added during sign-in');
    return seeOther(reply, `${issuerEnrol(tenant)}/codes`);
  });

  app.get('/tenants/:tenant/login/enrol/codes', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { pending } = await loadPendingSignIn(deps, request, tenant);
    if (pending.enrolledCodes === undefined) return seeOther(reply, issuerEnrol(tenant));
    return sendPage(reply, renderRecoveryCodesPage({ ...pageTenant(tenant), codes: pending.enrolledCodes, continueForm: { action: `${base(tenant)}/continue`, csrfToken: pending.csrfToken } }), 200, undefined, pending.formAction);
  });

  app.post('/tenants/:tenant/login/enrol/continue', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { pending, user } = await loadPendingSignIn(deps, request, tenant, readForm(request).get('csrf_token'));
    if (pending.enrolledCodes === undefined) return seeOther(reply, issuerEnrol(tenant));
    return completePendingSignIn(deps, request, reply, tenant, pending, user, [...new Set([...pending.amr, pending.enrolledMethod ?? AMR_OTP, AMR_MFA])]);
  });

  app.post('/tenants/:tenant/login/enrol/later', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { pending, user } = await loadPendingSignIn(deps, request, tenant, readForm(request).get('csrf_token'));
    if (pending.deferrable !== true) throw new InvalidRequest(PENDING_EXPIRED, { detail: 'enrolment cannot be deferred' });
    await dropUnconfirmedSecret(user.id);
    return completePendingSignIn(deps, request, reply, tenant, pending, user, pending.amr, { mfaDeferred: true });
  });
}
