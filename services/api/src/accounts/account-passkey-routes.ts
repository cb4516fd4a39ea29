import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import type { AccountMailer } from '../domain/accounts/account-mailer.js';
import { mfaPolicy } from '../domain/mfa/mfa-policy.js';
import { passkeyName } from '../domain/mfa/passkey-name.js';
import { passkeyAmr } from '../domain/mfa/passkey-service.js';
import type { SecondFactors } from '../domain/mfa/second-factors.js';
import type { SessionService } from '../domain/sessions/session-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { AMR_MFA } from '../domain/tokens/authentication-context.js';
import type { WebauthnChallenges } from '../oauth/interaction/webauthn-challenges.js';
import { startBrowserSession, type StartSessionDeps } from '../oauth/interaction/start-browser-session.js';
import type { FormCsrf } from './form-csrf.js';
import { factorSession } from './factor-session.js';
import { noticePasskeyAdded } from './factor-added-notice.js';
import { PAGE_ROUTE, readForm, seeOther } from './page-kit.js';
import type { RecoveryCodeView } from './recovery-code-view.js';

export interface AccountPasskeyRoutesDeps extends StartSessionDeps {
  readonly tenants: TenantLookup;
  readonly sessions: Pick<SessionService, 'find' | 'create' | 'revoke'>;
  readonly secondFactors: SecondFactors;
  readonly webauthnChallenges: WebauthnChallenges;
  readonly formCsrf: FormCsrf;
  readonly mailer: Pick<AccountMailer, 'notify' | 'now'>;
  readonly recoveryCodeView: RecoveryCodeView;
}

/**
 * Passkeys on the account page (`{issuer}/account/passkeys…`). Rules:
 * - the session must satisfy the user's factors, and forms carry the session's `mfa` CSRF token;
 * - "Add a passkey" answers the registration challenge the account page issued to this session
 *   (used once), with a name the owner chose; the owner is mailed, and the browser's session now
 *   counts the passkey as a second factor (it just proved it holds the key); a user's first second
 *   factor comes with a set of recovery codes, shown once;
 * - renaming one takes a name under the same rule as when it was added, and only for the owner's
 *   own passkeys;
 * - removing one needs only the session: the other factors stay; the last second factor takes the
 *   recovery codes along, and is kept while the tenant requires a second factor.
 */
export function registerAccountPasskeyRoutes(app: FastifyInstance, deps: AccountPasskeyRoutesDeps): void {
  const account = (tenant: Tenant) => `${deps.tenants.issuer(tenant.name)}/account`;
  const signedIn = async (request: FastifyRequest, reply: FastifyReply) => {
    const form = readForm(request);
    const s = await factorSession(deps, request, reply, form.get('csrf_token'));
    return s.redirected !== undefined ? s : { ...s, form };
  };

  app.post('/tenants/:tenant/account/passkeys', PAGE_ROUTE, async (request, reply) => {
    const s = await signedIn(request, reply);
    if (s.redirected !== undefined) return s.redirected;
    const { tenant, active, form } = s;
    const challenge = await deps.webauthnChallenges.take(`register:${active.session.id}`);
    const name = passkeyName(form.get('passkey_name'));
    if (name === undefined) return seeOther(reply, `${account(tenant)}?error=passkey_name`);
    if (challenge === undefined) return seeOther(reply, `${account(tenant)}?error=passkey_failed`);
    const added = await deps.secondFactors.passkeys.register(active.user, form.get('credential') ?? '', challenge, name);
    if (!added.ok) {
      request.log.info({ ...request.logFields, event: 'passkey_refused', userId: active.user.id, reason: added.reason }, 'passkey registration refused');
      return seeOther(reply, `${account(tenant)}?error=${added.reason === 'too_many' ? 'passkey_limit' : added.reason === 'duplicate' ? 'passkey_duplicate' : 'passkey_failed'}`);
    }
    const session = await startBrowserSession(deps, request, reply, tenant, active.user, [...new Set([...active.session.amr, passkeyAmr(added.credential), AMR_MFA])]);
    await noticePasskeyAdded(deps, tenant, active.user, added.credential);
    // The user's first second factor: the codes that stand in for it if the key is lost, shown once.
    const codes = await deps.secondFactors.recoveryCodes.generateFirst(active.user.id);
    if (codes !== undefined) await deps.recoveryCodeView.hold(session.id, { codes, notice: 'passkey_added' });
    request.log.info({ ...request.logFields, event: 'passkey_added', userId: active.user.id, recoveryCodes: codes !== undefined }, 'passkey added');
    return seeOther(reply, codes === undefined ? `${account(tenant)}?notice=passkey_added` : `${account(tenant)}/recovery-codes`);
  });

  app.post('/tenants/:tenant/account/passkeys/rename', PAGE_ROUTE, async (request, reply) => {
    const s = await signedIn(request, reply);
    if (s.redirected !== undefined) return s.redirected;
    const name = passkeyName(s.form.get('passkey_name'));
    if (name === undefined) return seeOther(reply, `${account(s.tenant)}?error=passkey_name`);
    const renamed = await deps.secondFactors.passkeys.rename(s.active.user.id, s.form.get('passkey_id') ?? '', name);
    if (renamed === undefined) return seeOther(reply, `${account(s.tenant)}?error=unknown_passkey`);
    request.log.info({ ...request.logFields, event: 'passkey_renamed', userId: s.active.user.id }, 'passkey renamed');
    return seeOther(reply, `${account(s.tenant)}?notice=passkey_renamed`);
  });

  app.post('/tenants/:tenant/account/passkeys/remove', PAGE_ROUTE, async (request, reply) => {
    const s = await signedIn(request, reply);
    if (s.redirected !== undefined) return s.redirected;
    const removal = await deps.secondFactors.removePasskey(s.active.user.id, s.form.get('passkey_id') ?? '', mfaPolicy(s.tenant).policy === 'required');
    if (removal.kind === 'unknown') return seeOther(reply, `${account(s.tenant)}?error=unknown_passkey`);
    if (removal.kind === 'last_factor') return seeOther(reply, `${account(s.tenant)}?error=last_factor_required`);
    request.log.info({ ...request.logFields, event: 'passkey_removed', userId: s.active.user.id, codesRemoved: removal.codesRemoved }, 'passkey removed');
    return seeOther(reply, `${account(s.tenant)}?notice=${removal.codesRemoved ? 'last_factor_removed' : 'passkey_removed'}`);
  });
}
