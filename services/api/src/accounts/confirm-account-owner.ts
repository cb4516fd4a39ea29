import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import { signInWithPassword, type PasswordSignInDeps } from '../domain/accounts/password-sign-in.js';
import type { ActiveSession } from '../domain/sessions/session-service.js';

/**
 * How long after an active sign-in (the session's OIDC `auth_time`) a user without a password may
 * make a sensitive change without proving anything again: the "sudo mode" window of GitHub and the
 * like, and the same idea as an RP's `max_age` (OIDC Core §3.1.2.1).
 */
export const RECENT_SIGN_IN_SECONDS = 600;

export type OwnerCheckFailure = 'wrong_password' | 'locked' | 'sign_in_again';

/**
 * Proof that the person at the browser owns the account, asked again before a sensitive change on
 * the account page, so a stolen session alone cannot make it:
 * - a user with a password types it, checked like a sign-in (same counters and lockout, so a stolen
 *   session cannot guess it freely);
 * - a user without one (signed up through a federated provider) has no secret to type; the
 *   session must then come from a sign-in within {@link RECENT_SIGN_IN_SECONDS}, and otherwise
 *   the answer is `sign_in_again`.
 * Undefined when the proof holds.
 */
export async function confirmAccountOwner(
  deps: PasswordSignInDeps & { readonly audit: AuditRecorder },
  tenant: Tenant,
  active: ActiveSession,
  password: string,
  ip: string,
): Promise<OwnerCheckFailure | undefined> {
  if (active.user.passwordHash === null) return signedInRecently(active, deps.clock().getTime()) ? undefined : 'sign_in_again';
  const outcome = await signInWithPassword(deps, tenant, active.user.email, password, ip);
  if (outcome.kind === 'refused') return 'locked';
  if (outcome.kind === 'failed') {
    deps.audit.record({ tenant: tenant.name, event: 'login', result: 'failure', reason: outcome.reason, userId: active.user.id, ip, requestId: null });
    return 'wrong_password';
  }
  return undefined;
}

/** The session's last active authentication is at most {@link RECENT_SIGN_IN_SECONDS} old. */
export function signedInRecently(active: ActiveSession, nowMs: number): boolean {
  return nowMs - active.session.authTime.getTime() <= RECENT_SIGN_IN_SECONDS * 1000;
}
