import type { ApiMetrics } from '@lanyard/metrics';
import type { Tenant, User } from '@lanyard/db';
import type { AuditRecorder } from '../audit/audit-log.js';
import type { AuthFailureReason } from '../audit/auth-failure-reason.js';
import { accountLink } from '../accounts/account-links.js';
import type { AccountMailer } from '../accounts/account-mailer.js';
import type { LimitDecision } from '../rate-limit/limit-policy.js';
import type { LoginAttempts } from '../rate-limit/login-attempts.js';
import { ipNetwork } from '../rate-limit/ip-network.js';
import { AMR_MFA, AMR_OTP } from '../tokens/authentication-context.js';
import { passkeyAmr } from './passkey-service.js';
import type { SecondFactors } from './second-factors.js';

export type SecondFactorMethod = 'otp' | 'recovery' | 'passkey';

export type SecondFactorOutcome =
  | { readonly kind: 'verified'; readonly amr: readonly string[] }
  | { readonly kind: 'failed'; readonly reason: Extract<AuthFailureReason, 'otp_invalid' | 'otp_replayed' | 'recovery_invalid' | 'webauthn_invalid'> }
  | { readonly kind: 'refused'; readonly refused: readonly LimitDecision[]; readonly scope: 'network' | 'account' };

export interface VerifySecondFactorDeps {
  readonly secondFactors: Pick<SecondFactors, 'totp' | 'recoveryCodes' | 'passkeys'>;
  readonly loginAttempts: Pick<LoginAttempts, 'reserve'>;
  readonly mailer: Pick<AccountMailer, 'notify' | 'now'>;
  readonly audit: AuditRecorder;
  readonly metrics: Pick<ApiMetrics, 'rateLimited'>;
  readonly issuerOf: (tenant: string) => string;
}

/**
 * Checks the second factor of a sign-in whose password was right. Rules:
 * - attempts are counted with the password's counters (per account and network, and per
 *   account), so guessing codes trips the same progressive delay and lockout as guessing
 *   passwords, and a success gives its reservation back;
 * - a TOTP code is accepted once (replay is its own reason, `otp_replayed`);
 * - a recovery code is used up, audited, and mailed to the owner as a notice;
 * - every outcome is an `mfa` audit event whose reason names the factor.
 * The amr of a verified sign-in adds the factor's RFC 8176 method and `mfa`: `otp` for app and
 * recovery codes (a recovery code is a one-time password too), `hwk`/`swk` for a passkey.
 */
export async function verifySecondFactor(
  deps: VerifySecondFactorDeps,
  tenant: Tenant,
  user: User,
  method: SecondFactorMethod,
  /** The typed code, or a passkey's credential JSON. */
  code: string,
  amr: readonly string[],
  request: { readonly ip: string; readonly id: string },
  /** For a passkey: the challenge this sign-in was issued (undefined when it had none, or used it). */
  passkeyChallenge?: string,
): Promise<SecondFactorOutcome> {
  const record = { tenant: tenant.name, event: 'mfa', userId: user.id, ip: request.ip, requestId: request.id } as const;
  const attempt = await deps.loginAttempts.reserve(tenant, { email: user.email, passwordChangedAt: user.passwordChangedAt }, request.ip);
  if (!attempt.allowed) {
    for (const d of attempt.refused) deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: d.policy.name });
    deps.audit.record({ ...record, result: 'failure', reason: 'rate_limited' });
    return { kind: 'refused', refused: attempt.refused, scope: attempt.scope };
  }
  const failed = async (reason: 'otp_invalid' | 'otp_replayed' | 'recovery_invalid' | 'webauthn_invalid'): Promise<SecondFactorOutcome> => {
    await attempt.settle('failure');
    deps.audit.record({ ...record, result: 'failure', reason });
    return { kind: 'failed', reason };
  };
  const verified = async (reason: 'otp' | 'recovery' | 'webauthn', method = AMR_OTP): Promise<SecondFactorOutcome> => {
    await attempt.settle('success');
    deps.audit.record({ ...record, result: 'success', reason });
    return { kind: 'verified', amr: [...new Set([...amr, method, AMR_MFA])] };
  };

  if (method === 'passkey') {
    if (passkeyChallenge === undefined) return failed('webauthn_invalid');
    const check = await deps.secondFactors.passkeys.authenticate(tenant.id, code, passkeyChallenge, { expectedUser: user.id, requireUserVerification: false });
    return check.ok ? verified('webauthn', passkeyAmr(check.credential)) : failed('webauthn_invalid');
  }

  if (method === 'otp') {
    const check = await deps.secondFactors.totp.verify(user.id, code);
    if (check.ok) return verified('otp');
    return failed(check.reason === 'replayed' ? 'otp_replayed' : 'otp_invalid');
  }
  const used = await deps.secondFactors.recoveryCodes.consume(user.id, code);
  if (used === undefined) return failed('recovery_invalid');
  await deps.mailer.notify(tenant, user.email, 'recovery_code_used', `recovery_code_used.${used.id}`, {
    when: deps.mailer.now(),
    remaining: used.remaining,
    network: ipNetwork(request.ip),
    accountLink: accountLink(deps.issuerOf(tenant.name), 'account'),
  });
  return verified('recovery');
}
