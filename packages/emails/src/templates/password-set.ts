import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { formatWhen } from '../format-when.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';
import type { PasswordChangedParams } from './password-changed.js';

const TEMPLATE = 'password_set';

/** The same facts as a change: when, and where to start a reset. */
export type PasswordSetParams = PasswordChangedParams;

/**
 * Tells the owner of an account that had no password (one that signs in through a federated
 * provider or a passkey) that it has one now: a new way in, which matters as much as a changed one.
 */
export function passwordSet(params: PasswordSetParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const when = formatWhen(params.when, TEMPLATE, 'when');
  const url = checkLink(params.resetLink, TEMPLATE, 'resetLink');
  return {
    tenant,
    subject: `A password was added to your ${tenant} account`,
    heading: 'Your account has a password now',
    blocks: [
      { kind: 'paragraph', text: `Your ${tenant} account had no password. It has one now, and can be signed in to with its address and that password, besides the ways it had before.` },
      { kind: 'details', rows: [['When', when]] },
      { kind: 'paragraph', text: 'If this was you, there is nothing else to do.' },
      { kind: 'paragraph', text: "If this wasn't you, someone had access to your account: reset the password now, then look at your account page for ways in you do not know." },
      { kind: 'action', label: 'Reset the password', url },
    ],
  };
}
