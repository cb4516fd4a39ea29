import type { Tenant } from '@lanyard/db';
import type { AuditRecorder } from '../domain/audit/audit-log.js';
import { signInWithPassword, type PasswordSignInDeps } from '../domain/accounts/password-sign-in.js';
import type { ActiveSession } from '../domain/sessions/session-service.js';

/**
 * The current password, asked again before a sensitive change on the account page and checked
 * like a sign-in (same counters and lockout), so a stolen session cannot guess it freely.
 * Undefined when right.
 */
export async function confirmCurrentPassword(
  deps: PasswordSignInDeps & { readonly audit: AuditRecorder },
  tenant: Tenant,
  active: ActiveSession,
  password: string,
  ip: string,
): Promise<'wrong_password' | 'locked' | undefined> {
  const outcome = await signInWithPassword(deps, tenant, active.user.email, password, ip);
  if (outcome.kind === 'refused') return 'locked';
  if (outcome.kind === 'failed') {
    deps.audit.record({ tenant: tenant.name, event: 'login', result: 'failure', reason: outcome.reason, userId: active.user.id, ip, requestId: null });
    return 'wrong_password';
  }
  return undefined;
}
