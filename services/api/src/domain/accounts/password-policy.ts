import { isCommonPassword } from './common-passwords.js';

/** Argon2 hashes any length, but we bound the work an attacker can ask for (also the form's maxlength). */
export const MAX_PASSWORD_LENGTH = 256;

export type PasswordProblem = 'too_short' | 'too_long' | 'common' | 'contains_email' | 'control_characters';

/** What the user reads for each problem; fixed strings, so nothing of the input is echoed. */
export const PASSWORD_PROBLEM_MESSAGES: Record<PasswordProblem, (minLength: number) => string> = {
  too_short: (min) => `Use at least ${min} characters.`,
  too_long: () => `Use at most ${MAX_PASSWORD_LENGTH} characters.`,
  common: () => 'This password is too common: it appears in lists of breached passwords. Choose another.',
  contains_email: () => 'The password must not contain your email address.',
  control_characters: () => 'The password contains characters that cannot be typed.',
};

/**
 * NIST SP 800-63B §5.1.1.2: a minimum length, no composition rules, and a check against passwords
 * known to be compromised. Length counts code points, so a passphrase in any script is measured
 * the way its owner counts it.
 */
export function checkPassword(password: string, context: { minLength: number; email?: string }): PasswordProblem | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(password)) return 'control_characters';
  const length = [...password].length;
  if (length < context.minLength) return 'too_short';
  if (length > MAX_PASSWORD_LENGTH) return 'too_long';
  if (isCommonPassword(password)) return 'common';
  const email = context.email?.toLowerCase();
  if (email !== undefined && email !== '') {
    const local = email.split('@')[0] ?? '';
    const lowered = password.toLowerCase();
    if (lowered.includes(email) || (local.length >= 4 && lowered === local)) return 'contains_email';
  }
  return undefined;
}

/** A new password the tenant's policy refused, as the services report it. */
export interface WeakPassword {
  readonly ok: false;
  readonly reason: 'weak_password';
  readonly problem: PasswordProblem;
  readonly minLength: number;
}

/** The refusal of a new password under a minimum length, or undefined when it is acceptable. */
export function refuseWeakPassword(password: string, minLength: number, email: string): WeakPassword | undefined {
  const problem = checkPassword(password, { minLength, email });
  return problem === undefined ? undefined : { ok: false, reason: 'weak_password', problem, minLength };
}
