import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import type { AccountSettings } from '../domain/accounts/account-settings.js';
import { accountPolicy } from '../domain/accounts/account-policy.js';
import type { EmailChange } from '../domain/accounts/email-change-service.js';
import { PASSWORD_PROBLEM_MESSAGES, type PasswordProblem } from '../domain/accounts/password-policy.js';
import type { PasswordSignInDeps } from '../domain/accounts/password-sign-in.js';
import { confirmAccountOwner, RECENT_SIGN_IN_SECONDS, signedInRecently } from './confirm-account-owner.js';
import { isUuid } from '../domain/uuid.js';
import { startCeremony } from './passkey-ceremony.js';
import type { IdentityProviderService } from '../domain/federation/identity-provider-service.js';
import type { UpstreamIdentityService } from '../domain/federation/upstream-identity-service.js';
import type { WebauthnChallenges } from '../oauth/interaction/webauthn-challenges.js';
import type { SecondFactors } from '../domain/mfa/second-factors.js';
import { AMR_MFA } from '../domain/tokens/authentication-context.js';
import type { PendingSignIns } from '../oauth/interaction/pending-sign-in.js';
import type { ClientLookup } from '../domain/clients/client-service.js';
import type { ConsentService } from '../domain/consents/consent-service.js';
import type { ActiveSession, SessionService } from '../domain/sessions/session-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import type { RefreshTokenService } from '../domain/tokens/refresh-token-service.js';
import { expiredCookie, SESSION_COOKIE, sessionCookieOptions } from '../oauth/cookies.js';
import { describeBrowser, startBrowserSession, type StartSessionDeps } from '../oauth/interaction/start-browser-session.js';
import { loadTenant } from '../oauth/load-tenant.js';
import { renderAccountPage } from '../pages/account-page.js';
import type { FormCsrf } from './form-csrf.js';
import { profileFieldLabel, profileValues, readProfileForm, type ProfileField } from './profile-form.js';
import { looksLikeEmail, PAGE_ROUTE, pageBase, readForm, readQuery, seeOther, sendPage } from './page-kit.js';
import { PASSKEY_NAME_MESSAGES } from './sign-in-messages.js';

export interface AccountRoutesDeps extends PasswordSignInDeps, StartSessionDeps {
  readonly secondFactors: Pick<SecondFactors, 'hasAny' | 'overview' | 'passkeys'>;
  readonly webauthnChallenges: WebauthnChallenges;
  readonly identityProviders: Pick<IdentityProviderService, 'list'>;
  readonly upstreamIdentities: Pick<UpstreamIdentityService, 'linkedTo' | 'unlink'>;
  readonly pendingSignIns: Pick<PendingSignIns, 'start'>;
  readonly tenants: TenantLookup;
  readonly sessions: Pick<SessionService, 'find' | 'create' | 'revoke' | 'listActivePage' | 'revokeForUser'>;
  readonly refreshTokens: Pick<RefreshTokenService, 'revokeSessionFamilies'>;
  readonly consents: Pick<ConsentService, 'list' | 'revoke'>;
  readonly clients: ClientLookup;
  readonly accountSettings: Pick<AccountSettings, 'updateProfile' | 'changePassword'>;
  readonly emailChange: Pick<EmailChange, 'request'>;
  readonly formCsrf: FormCsrf;
  readonly audit: AuditRecorder;
}

/** Sessions listed on the account page, newest first. */
const SESSIONS_SHOWN = 50;

/** Confirmations after a change: a code in the URL, a fixed sentence on the page. */
const NOTICES = {
  welcome: 'Welcome! Your account is ready.',
  profile_saved: 'Your profile was saved.',
  password_changed: 'Your password was changed. Every other session was signed out.',
  password_set: 'Your account has a password now. Every other session was signed out.',
  email_sent: 'Check the inbox of the new address: the change happens when you open the link we sent there.',
  session_ended: 'That session was signed out.',
  app_revoked: 'The app no longer has access to your account.',
  totp_enabled: 'Two-step verification is on. Signing in now asks for a code from your authenticator app.',
  totp_removed: 'Your authenticator app and recovery codes were removed.',
  totp_removed_passkeys_kept: 'Your authenticator app was removed. Your passkeys and recovery codes still work.',
  codes_regenerated: 'You have a new set of recovery codes; the old ones no longer work.',
  passkey_added: 'Your passkey was added. You can sign in with it now.',
  passkey_removed: 'The passkey was removed.',
  last_factor_removed: 'The passkey was removed. It was your last second factor, so your recovery codes were removed too.',
  passkey_renamed: 'The passkey was renamed.',
  provider_unlinked: 'The provider was unlinked; it no longer signs you in.',
} as const;

const ERRORS = {
  wrong_password: 'The current password is not correct.',
  sign_in_again: 'Your account has no password, so this change needs a recent sign-in. Sign out, sign in again, and retry.',
  locked: 'Too many failed attempts with this account. Try again later.',
  invalid_email: 'Enter a valid email address.',
  same_email: 'That is already your address.',
  unknown_session: 'That session had already ended.',
  unknown_app: 'That app had no access to revoke.',
  already_enrolled: 'An authenticator app is already set up. Remove it first to set up another.',
  no_factor: 'There is no authenticator app to remove.',
  last_factor_required: 'Your organisation requires a second factor, and this passkey is your only one. Add another first.',
  no_second_factor: 'Recovery codes stand in for an authenticator app or a passkey: set one of them up first.',
  factor_required: 'Your organisation requires two-step verification, so it cannot be turned off. Add a passkey first to remove the app.',
  passkey_failed: 'The passkey could not be added. Try again.',
  ...PASSKEY_NAME_MESSAGES,
  passkey_limit: 'You have the most passkeys an account may have. Remove one first.',
  unknown_passkey: 'That passkey had already been removed.',
  not_linked: 'That provider was not linked to your account.',
  last_way_in: 'This is your only way to sign in. Set a password or add a passkey first.',
} as const;

type ErrorCode = keyof typeof ERRORS | `password_${PasswordProblem}` | `invalid_${ProfileField}`;

const pick = <T extends Record<string, string>>(table: T, code: string | undefined) => (code !== undefined && Object.hasOwn(table, code) ? table[code as keyof T] : undefined);

/**
 * `{issuer}/account`: the signed-in user's own page. Rules:
 * - without a live session of this issuer, every route sends the browser to `/account/login`;
 * - every form carries a CSRF token bound to the session and its purpose; each POST answers 303
 *   back to the page with a fixed notice or error code (no text from the request is reflected);
 * - password and address changes need the current password, counted like a sign-in attempt, so a
 *   stolen session cannot guess it without tripping the same lockout; a user without a password
 *   (federated) needs a sign-in within the last 10 minutes instead, and can set a first password
 *   that way ({@link confirmAccountOwner});
 * - a password change signs out every other session and revokes every refresh token (the browser
 *   that made it gets a fresh session); another session or an app can be revoked from here.
 */
export function registerAccountRoutes(app: FastifyInstance, deps: AccountRoutesDeps): void {
  const issuerAccount = (tenant: Tenant) => `${deps.tenants.issuer(tenant.name)}/account`;
  const back = (reply: FastifyReply, tenant: Tenant, outcome: { notice: keyof typeof NOTICES } | { error: ErrorCode }) =>
    seeOther(reply, `${issuerAccount(tenant)}?${'notice' in outcome ? `notice=${outcome.notice}` : `error=${outcome.error}`}`);

  const toSignIn = (reply: FastifyReply, tenant: Tenant) => seeOther(reply, `${deps.tenants.issuer(tenant.name)}/account/login`);

  const linkedProviders = async (tenant: Tenant, userId: string) => {
    const providers = new Map((await deps.identityProviders.list(tenant.id)).map((p) => [p.id, p.displayName]));
    return (await deps.upstreamIdentities.linkedTo(userId)).map((l) => ({ providerId: l.providerId, name: providers.get(l.providerId) ?? 'A provider', since: l.createdAt.toISOString().slice(0, 10) }));
  };

  /**
   * A session signed in with the password alone, of a user who has a second factor (it began
   * before the factor was added, in another browser): the account page asks for the factor first.
   */
  const requireSecondFactor = async (reply: FastifyReply, tenant: Tenant, active: ActiveSession) => {
    if (active.session.amr.includes(AMR_MFA) || !(await deps.secondFactors.hasAny(active.user.id))) return undefined;
    await deps.pendingSignIns.start(reply, tenant.name, { tenantId: tenant.id, userId: active.user.id, amr: active.session.amr });
    return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/login/second-factor`);
  };

  /**
   * Loads tenant, session and form of a POST and checks the CSRF token of `purpose`; without a
   * session, `redirected` is the 303 to the sign-in.
   */
  const post = async (request: FastifyRequest, reply: FastifyReply, purpose: string) => {
    const tenant = await loadTenant(deps.tenants, request);
    const form = readForm(request);
    const active = await deps.sessions.find(tenant.id, request.cookies[SESSION_COOKIE]);
    if (active === undefined) return { redirected: toSignIn(reply, tenant) } as const;
    const stepUp = await requireSecondFactor(reply, tenant, active);
    if (stepUp !== undefined) return { redirected: stepUp } as const;
    deps.formCsrf.checkSession(active.session.id, purpose, form.get('csrf_token'));
    return { redirected: undefined, tenant, active, form } as const;
  };

  app.get('/tenants/:tenant/account', PAGE_ROUTE, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const active = await deps.sessions.find(tenant.id, request.cookies[SESSION_COOKIE]);
    if (active === undefined) return toSignIn(reply, tenant);
    const stepUp = await requireSecondFactor(reply, tenant, active);
    if (stepUp !== undefined) return stepUp;
    const { session, user } = active;
    const query = readQuery(request);
    const errorCode = query.get('error');
    const passwordProblem = errorCode?.startsWith('password_') === true ? errorCode.slice('password_'.length) : undefined;
    const minLength = accountPolicy(tenant).passwordMinLength;
    const invalidField = errorCode?.startsWith('invalid_') === true ? profileFieldLabel(errorCode.slice('invalid_'.length)) : undefined;
    const error =
      pick(ERRORS, errorCode) ??
      (invalidField === undefined ? undefined : `${invalidField}: this value is not valid, so nothing was saved.`) ??
      (passwordProblem !== undefined && Object.hasOwn(PASSWORD_PROBLEM_MESSAGES, passwordProblem) ? PASSWORD_PROBLEM_MESSAGES[passwordProblem as PasswordProblem](minLength) : undefined);
    // The newest sign-ins, and this browser's own even if it is older: one user may hold any number.
    const page = await deps.sessions.listActivePage(user.id, { limit: SESSIONS_SHOWN });
    const sessions = page.items.some((s) => s.id === session.id) ? page.items : [session, ...page.items.slice(0, SESSIONS_SHOWN - 1)];
    const consents = await deps.consents.list(user.id);
    const apps = await Promise.all(
      consents.map(async (c) => {
        const client = await deps.clients.find(tenant.id, c.clientId);
        return { clientId: c.clientId, name: client?.displayName ?? c.clientId, scopes: c.scopes };
      }),
    );
    const csrf = (purpose: string) => deps.formCsrf.forSession(session.id, purpose);
    const passkeyCeremony = await startCeremony(deps.webauthnChallenges, await deps.secondFactors.passkeys.registrationOptions(tenant, user), `register:${session.id}`);
    return sendPage(
      reply,
      renderAccountPage({
        tenant: tenant.name,
        tenantDisplayName: tenant.displayName,
        base: pageBase(tenant),
        email: user.email,
        emailVerified: user.emailVerified,
        profile: profileValues(user),
        minLength,
        ownerProof: user.passwordHash !== null ? { kind: 'password' } : { kind: 'recent_sign_in', recent: signedInRecently(active, deps.clock().getTime()), withinMinutes: RECENT_SIGN_IN_SECONDS / 60 },
        csrf: { profile: csrf('profile'), password: csrf('password'), email: csrf('email'), sessions: csrf('sessions'), apps: csrf('apps'), logout: csrf('logout'), mfa: csrf('mfa') },
        factors: await deps.secondFactors.overview(user),
        passkeyCeremony,
        linkedProviders: await linkedProviders(tenant, user.id),
        moreSessions: page.nextCursor !== null,
        sessions: sessions.map((s) => ({
          id: s.id,
          browser: describeBrowser(s.userAgent ?? undefined),
          network: s.ipNetwork,
          signedInAt: `${s.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
          current: s.id === session.id,
        })),
        apps,
        notice: pick(NOTICES, query.get('notice')),
        error,
      }),
      200,
      passkeyCeremony.nonce,
    );
  });

  app.post('/tenants/:tenant/account/profile', PAGE_ROUTE, async (request, reply) => {
    const p = await post(request, reply, 'profile');
    if (p.redirected !== undefined) return p.redirected;
    const read = readProfileForm(p.form);
    if (!read.ok) return back(reply, p.tenant, { error: `invalid_${read.field}` });
    await deps.accountSettings.updateProfile(p.active.user, read.profile);
    return back(reply, p.tenant, { notice: 'profile_saved' });
  });

  app.post('/tenants/:tenant/account/password', PAGE_ROUTE, async (request, reply) => {
    const p = await post(request, reply, 'password');
    if (p.redirected !== undefined) return p.redirected;
    const { tenant, active, form } = p;
    const check = await confirmAccountOwner(deps, tenant, active, form.get('current_password') ?? '', request.ip);
    if (check !== undefined) return back(reply, tenant, { error: check });
    const changed = await deps.accountSettings.changePassword(tenant, active.user, form.get('new_password') ?? '');
    if (!changed.ok) return back(reply, tenant, { error: `password_${changed.problem}` });
    // Every session died with the change, this one included; this browser gets a fresh one.
    await startBrowserSession(deps, request, reply, tenant, changed.user, active.session.amr);
    deps.audit.record({ tenant: tenant.name, event: 'password_reset', result: 'success', userId: active.user.id, ip: request.ip, requestId: request.id });
    request.log.info({ ...request.logFields, event: 'password_changed', userId: active.user.id }, 'password changed; other sessions and refresh tokens revoked');
    return back(reply, tenant, { notice: active.user.passwordHash === null ? 'password_set' : 'password_changed' });
  });

  app.post('/tenants/:tenant/account/email', PAGE_ROUTE, async (request, reply) => {
    const p = await post(request, reply, 'email');
    if (p.redirected !== undefined) return p.redirected;
    const { tenant, active, form } = p;
    const newEmail = (form.get('new_email') ?? '').trim().toLowerCase();
    if (!looksLikeEmail(newEmail)) return back(reply, tenant, { error: 'invalid_email' });
    if (newEmail === active.user.email) return back(reply, tenant, { error: 'same_email' });
    const check = await confirmAccountOwner(deps, tenant, active, form.get('email_password') ?? '', request.ip);
    if (check !== undefined) return back(reply, tenant, { error: check });
    await deps.emailChange.request(tenant, active.user, newEmail);
    request.log.info({ ...request.logFields, event: 'email_change_requested', userId: active.user.id }, 'email change requested');
    return back(reply, tenant, { notice: 'email_sent' });
  });

  app.post('/tenants/:tenant/account/sessions/revoke', PAGE_ROUTE, async (request, reply) => {
    const p = await post(request, reply, 'sessions');
    if (p.redirected !== undefined) return p.redirected;
    const target = p.form.get('session_id') ?? '';
    // This browser's own session ends through "Sign out", which also clears its cookies.
    if (target === p.active.session.id) return back(reply, p.tenant, { error: 'unknown_session' });
    const ended = await deps.sessions.revokeForUser(p.active.user.id, target);
    if (ended.length === 0) return back(reply, p.tenant, { error: 'unknown_session' });
    deps.audit.record({ tenant: p.tenant.name, event: 'logout', result: 'success', userId: p.active.user.id, ip: request.ip, requestId: request.id });
    request.log.info({ ...request.logFields, event: 'session_revoked', userId: p.active.user.id }, 'user signed out another session');
    return back(reply, p.tenant, { notice: 'session_ended' });
  });

  app.post('/tenants/:tenant/account/apps/revoke', PAGE_ROUTE, async (request, reply) => {
    const p = await post(request, reply, 'apps');
    if (p.redirected !== undefined) return p.redirected;
    const client = await deps.clients.find(p.tenant.id, p.form.get('client_id') ?? '');
    if (client === undefined || !(await deps.consents.revoke(p.active.user.id, client.id))) return back(reply, p.tenant, { error: 'unknown_app' });
    request.log.info({ ...request.logFields, event: 'consent_revoked', userId: p.active.user.id, clientId: client.clientId }, 'user revoked an app');
    return back(reply, p.tenant, { notice: 'app_revoked' });
  });

  app.post('/tenants/:tenant/account/providers/unlink', PAGE_ROUTE, async (request, reply) => {
    const p = await post(request, reply, 'mfa');
    if (p.redirected !== undefined) return p.redirected;
    const providerId = p.form.get('provider_id') ?? '';
    if (!isUuid(providerId)) return back(reply, p.tenant, { error: 'not_linked' });
    const outcome = await deps.upstreamIdentities.unlink(p.active.user.id, providerId, (await deps.secondFactors.passkeys.count(p.active.user.id)) > 0);
    if (outcome !== 'unlinked') return back(reply, p.tenant, { error: outcome });
    request.log.info({ ...request.logFields, event: 'provider_unlinked', userId: p.active.user.id }, 'user unlinked an upstream provider');
    return back(reply, p.tenant, { notice: 'provider_unlinked' });
  });

  app.post('/tenants/:tenant/account/logout', PAGE_ROUTE, async (request, reply) => {
    const p = await post(request, reply, 'logout');
    if (p.redirected !== undefined) return p.redirected;
    await deps.sessions.revoke(p.active.session.id);
    await deps.refreshTokens.revokeSessionFamilies(p.active.session.id, 'logout');
    reply.setCookie(SESSION_COOKIE, '', expiredCookie(sessionCookieOptions(p.tenant.name, 0)));
    deps.audit.record({ tenant: p.tenant.name, event: 'logout', result: 'success', userId: p.active.user.id, ip: request.ip, requestId: request.id });
    return seeOther(reply, `${deps.tenants.issuer(p.tenant.name)}/account/login?notice=signed_out`);
  });
}
