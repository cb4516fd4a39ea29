import type { Tenant } from '@lanyard/db';
import { renderNoticePage } from '../pages/account-pages.js';
import { pageBase, pageTenant } from './page-kit.js';

/** The one message of every failed password check: it never says which part was wrong. */
export const SIGN_IN_FAILED = 'Incorrect email or password.';

/** A passkey sign-in that did not verify: no detail (unknown credential, wrong origin, bad signature). */
export const PASSKEY_FAILED = 'That passkey could not sign you in. Try again, or sign in with your password.';

/** What a refused passkey name or a passkey already on the account says, wherever a passkey is added or renamed. */
export const PASSKEY_NAME_MESSAGES = {
  passkey_name: 'Give the passkey a name (up to 100 characters) so you can tell it apart.',
  passkey_duplicate: 'That passkey is already on your account.',
} as const;

/** What a refused attempt says: how long to wait, and for an account-wide lockout, the way out. */
export function lockoutMessage(scope: 'network' | 'account', retryAfterSeconds: string): string {
  return scope === 'account'
    ? `Sign-in with a password is locked for this account after too many failed attempts. Reset your password to sign in now, or try again in ${retryAfterSeconds} seconds.`
    : `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} seconds.`;
}

/**
 * Shown after a correct password when the tenant requires a verified address: only someone who
 * knows the password sees it. The button mails a new link (the resend form, prefilled).
 */
export function renderUnverifiedPage(tenant: Tenant, email: string, resendCsrf: string, interactionId: string | undefined): string {
  return renderNoticePage({
    ...pageTenant(tenant),
    kind: 'error',
    title: 'Confirm your email address first',
    message: `${tenant.displayName} needs to know that ${email} is yours before you sign in. Open the link we sent you, or ask for a new one.`,
    form: { action: `${pageBase(tenant)}/email/verify/resend`, hidden: { csrf_token: resendCsrf, email, interaction: interactionId }, button: 'Send a new link' },
  });
}
