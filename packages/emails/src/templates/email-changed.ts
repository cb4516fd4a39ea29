import type { EmailContent } from '../email-content.js';
import { formatWhen } from '../format-when.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'email_changed';

export interface EmailChangedParams {
  readonly tenantDisplayName: string;
  /** The new address, already masked by the caller (`a***@example.com`): this goes to the old one. */
  readonly newEmailHint: string;
  /** When the address was changed (RFC 3339). */
  readonly when: string;
}

/**
 * Sent to the OLD address after an address change, the last message it gets about the account: if
 * someone else made the change, this is how the owner finds out. It carries no link, because every
 * further message, a password reset included, now goes to the new address.
 */
export function emailChanged(params: EmailChangedParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const hint = oneLine(params.newEmailHint, LIMITS.newEmailHint, TEMPLATE, 'newEmailHint');
  const when = formatWhen(params.when, TEMPLATE, 'when');
  return {
    tenant,
    subject: `The e-mail address of your ${tenant} account was changed`,
    heading: 'Your e-mail address was changed',
    blocks: [
      { kind: 'paragraph', text: `The e-mail address of your ${tenant} account was changed. Messages about the account now go to the new address; this is the last one sent here.` },
      { kind: 'details', rows: [['New address', hint], ['When', when]] },
      { kind: 'paragraph', text: 'If this was you, there is nothing else to do.' },
      { kind: 'paragraph', text: `If this wasn't you, someone else may have access to your account: contact the administrators of ${tenant} right away.` },
    ],
  };
}
