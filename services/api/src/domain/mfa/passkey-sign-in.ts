import type { Tenant, User } from '@lanyard/db';
import type { AuditRecorder } from '../audit/audit-log.js';
import { accountPolicy } from '../accounts/account-policy.js';
import type { UserService } from '../users/user-service.js';
import { passkeySignInAmr, type PasskeyService } from './passkey-service.js';

export type PasskeySignInOutcome =
  | { readonly kind: 'signed_in'; readonly user: User; readonly amr: readonly string[] }
  | { readonly kind: 'unverified'; readonly user: User }
  | { readonly kind: 'failed'; readonly reason: 'webauthn_invalid' | 'user_disabled'; readonly userId?: string };

export interface PasskeySignInDeps {
  readonly secondFactors: { readonly passkeys: Pick<PasskeyService, 'authenticate'> };
  readonly users: Pick<UserService, 'findById'>;
  readonly audit: AuditRecorder;
}

/**
 * "Sign in with a passkey": a discoverable credential with user verification is the whole sign-in
 * (possession plus the authenticator's PIN or biometric: two factors, RFC 8176 `mfa`). Rules:
 * - the assertion must answer the challenge this browser was issued, at our RP ID and origin,
 *   with the UV flag; the user is whoever owns the credential in this tenant;
 * - the password's failure counters are not consulted: a lockout an attacker caused by guessing
 *   passwords must not keep the owner from signing in with their passkey;
 * - a disabled user fails like a wrong password would, and the tenant's verified-email rule
 *   applies as to a password sign-in;
 * - each outcome is an `mfa` audit event (`webauthn`).
 */
export async function signInWithPasskey(deps: PasskeySignInDeps, tenant: Tenant, credentialJson: string, challenge: string | undefined, request: { readonly ip: string; readonly id: string }): Promise<PasskeySignInOutcome> {
  const record = { tenant: tenant.name, event: 'mfa', ip: request.ip, requestId: request.id } as const;
  const check = challenge === undefined ? undefined : await deps.secondFactors.passkeys.authenticate(tenant.id, credentialJson, challenge, { requireUserVerification: true });
  if (check === undefined || !check.ok) {
    deps.audit.record({ ...record, result: 'failure', reason: 'webauthn_invalid' });
    return { kind: 'failed', reason: 'webauthn_invalid' };
  }
  const user = await deps.users.findById(tenant.id, check.user.id);
  if (user === undefined || user.disabled) {
    deps.audit.record({ ...record, result: 'failure', reason: 'user_disabled', userId: check.user.id });
    return { kind: 'failed', reason: 'user_disabled', userId: check.user.id };
  }
  deps.audit.record({ ...record, result: 'success', reason: 'webauthn', userId: user.id });
  if (accountPolicy(tenant).requireVerifiedEmail && !user.emailVerified) return { kind: 'unverified', user };
  return { kind: 'signed_in', user, amr: passkeySignInAmr(check.credential, check.userVerified) };
}
