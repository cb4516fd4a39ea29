import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'account_exists';

export interface AccountExistsParams {
  readonly tenantDisplayName: string;
  readonly signInLink: string;
  readonly resetLink: string;
}

/**
 * Sent instead of a verification e-mail when someone signs up with an address that already has an
 * account. The sign-up page says "check your inbox" either way, so the page reveals nothing about
 * which addresses have accounts (no enumeration); only the mailbox owner learns it, from this.
 */
export function accountExists(params: AccountExistsParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const signIn = checkLink(params.signInLink, TEMPLATE, 'signInLink');
  const reset = checkLink(params.resetLink, TEMPLATE, 'resetLink');
  return {
    tenant,
    subject: `You already have a ${tenant} account`,
    heading: 'You already have an account',
    blocks: [
      { kind: 'paragraph', text: `Someone, probably you, tried to create a ${tenant} account with this e-mail address. There already is an account for it, so no new one was created.` },
      { kind: 'action', label: 'Sign in', url: signIn },
      { kind: 'paragraph', text: 'Forgot your password? You can choose a new one.' },
      { kind: 'action', label: 'Reset your password', url: reset },
      { kind: 'note', text: "If this wasn't you, you can ignore this message: nothing about your account has changed." },
    ],
  };
}
