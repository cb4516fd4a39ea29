import type { Tenant, User } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import type { AuthFailureReason } from '../audit/auth-failure-reason.js';
import type { LimitDecision } from '../rate-limit/limit-policy.js';
import type { LoginAttempts } from '../rate-limit/login-attempts.js';
import { ipNetwork } from '../rate-limit/ip-network.js';
import type { PasswordHasher } from '../users/password-hasher.js';
import { normalizeEmail, type UserService } from '../users/user-service.js';
import { accountLink } from './account-links.js';
import type { AccountMailer } from './account-mailer.js';
import { accountPolicy } from './account-policy.js';

export type SignInOutcome =
  | { readonly kind: 'signed_in'; readonly user: User }
  /** Right password, but the tenant requires a verified address and this one is not. */
  | { readonly kind: 'unverified'; readonly user: User }
  | { readonly kind: 'failed'; readonly reason: AuthFailureReason; readonly userId?: string | undefined }
  | { readonly kind: 'refused'; readonly refused: readonly LimitDecision[]; readonly scope: 'network' | 'account' };

export interface PasswordSignInDeps {
  readonly users: Pick<UserService, 'findByEmail' | 'replacePasswordHash'>;
  readonly passwords: Pick<PasswordHasher, 'hash' | 'verify' | 'verifyNothing'>;
  readonly loginAttempts: Pick<LoginAttempts, 'reserve'>;
  readonly mailer: Pick<AccountMailer, 'notify' | 'now'>;
  readonly issuerOf: (tenant: string) => string;
  readonly clock: Clock;
}

/**
 * Checking an email and password, wherever a password is asked for (an app's sign-in page, the
 * account page's own sign-in, a password confirmation). Rules:
 * - failed attempts are counted per account and network before Argon2 runs ({@link LoginAttempts});
 *   when they lock the account or a network out, the owner is told once per lockout window;
 * - unknown users, users without a password and disabled users cost the same Argon2 work and fail
 *   the same way as a wrong password, so neither timing nor answer reveals who exists;
 * - a hash with outdated parameters is replaced after a successful check (rehash on login);
 * - a correct password of an unverified address is `unverified` when the tenant requires
 *   verification: only someone who knows the password learns that.
 */
export async function signInWithPassword(deps: PasswordSignInDeps, tenant: Tenant, rawEmail: string, password: string, clientAddress: string): Promise<SignInOutcome> {
  const email = normalizeEmail(rawEmail).slice(0, 254);
  const user = email === '' ? undefined : await deps.users.findByEmail(tenant.id, email);
  const attempt = await deps.loginAttempts.reserve(tenant, { email, passwordChangedAt: user?.passwordChangedAt ?? null }, clientAddress);
  if (!attempt.allowed) {
    // The short progressive delay is routine; only a lockout is worth an email.
    const lockedOut = attempt.refused.some((d) => d.policy.name === 'login-lockout' || d.policy.name === 'login-account');
    if (lockedOut && user !== undefined && !user.disabled) await sendLockoutNotice(deps, tenant, user, attempt.scope, attempt.refused, clientAddress);
    return { kind: 'refused', refused: attempt.refused, scope: attempt.scope };
  }
  const verdict = await verifyPassword(deps, password === '' ? undefined : user, password);
  await attempt.settle(verdict === 'ok' ? 'success' : 'failure');
  if (verdict !== 'ok') return { kind: 'failed', reason: verdict, userId: user?.id };
  if (accountPolicy(tenant).requireVerifiedEmail && !user!.emailVerified) return { kind: 'unverified', user: user! };
  return { kind: 'signed_in', user: user! };
}

/** Same Argon2 work on every path; rehash when parameters changed. */
async function verifyPassword(deps: Pick<PasswordSignInDeps, 'users' | 'passwords'>, user: User | undefined, password: string): Promise<'ok' | 'invalid_credentials' | 'user_disabled'> {
  if (user === undefined || user.passwordHash === null) {
    await deps.passwords.verifyNothing(password);
    return 'invalid_credentials';
  }
  const { valid, needsRehash } = await deps.passwords.verify(user.passwordHash, password);
  if (!valid) return 'invalid_credentials';
  if (user.disabled) return 'user_disabled';
  if (needsRehash) await deps.users.replacePasswordHash(user.id, await deps.passwords.hash(password));
  return 'ok';
}

/**
 * One notice per lockout: keyed by the window it falls in, so every refused attempt during the
 * lockout maps to the same message.
 */
async function sendLockoutNotice(deps: PasswordSignInDeps, tenant: Tenant, user: User, scope: 'network' | 'account', refused: readonly LimitDecision[], clientAddress: string): Promise<void> {
  const windowSeconds = Math.max(...refused.map((d) => d.policy.windowSeconds));
  const bucket = Math.floor(deps.clock().getTime() / (windowSeconds * 1000));
  const network = ipNetwork(clientAddress);
  const subject = scope === 'account' ? 'account' : network.replace(/[^A-Za-z0-9]/g, '-');
  await deps.mailer.notify(tenant, user.email, 'lockout_notice', `lockout_notice.${user.id}.${subject}.${bucket}`, {
    when: deps.mailer.now(),
    scope,
    ...(scope === 'network' ? { network } : {}),
    resetLink: accountLink(deps.issuerOf(tenant.name), 'forgotPassword'),
  });
}
