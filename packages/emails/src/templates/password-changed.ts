import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { formatWhen } from '../format-when.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'password_changed';

export interface PasswordChangedParams {
  readonly tenantDisplayName: string;
  /** When the password was changed (RFC 3339). */
  readonly when: string;
  /** Where to start a password reset (not a one-time link: the page asks for the address). */
  readonly resetLink: string;
}

/** Tells the account owner their password changed, and what to do if they did not change it. */
export function passwordChanged(params: PasswordChangedParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const when = formatWhen(params.when, TEMPLATE, 'when');
  const url = checkLink(params.resetLink, TEMPLATE, 'resetLink');
  return {
    tenant,
    subject: `Your ${tenant} password was changed`,
    heading: 'Your password was changed',
    blocks: [
      { kind: 'paragraph', text: `The password of your ${tenant} account was changed.` },
      { kind: 'details', rows: [['When', when]] },
      { kind: 'paragraph', text: 'If this was you, there is nothing else to do.' },
      { kind: 'paragraph', text: "If this wasn't you, reset your password now: someone else may know it." },
      { kind: 'action', label: 'Reset your password', url },
    ],
  };
}
