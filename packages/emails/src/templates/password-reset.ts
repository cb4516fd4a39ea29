import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { formatDuration } from '../format-duration.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'password_reset';

export interface PasswordResetParams {
  readonly tenantDisplayName: string;
  /** The one-time reset link. */
  readonly link: string;
  readonly expiresInMinutes: number;
}

/** Sends the link to choose a new password; harmless to ignore when someone else asked for it. */
export function passwordReset(params: PasswordResetParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const url = checkLink(params.link, TEMPLATE, 'link');
  const expires = formatDuration(params.expiresInMinutes, 'minutes', LIMITS.expiresInMinutes, TEMPLATE, 'expiresInMinutes');
  return {
    tenant,
    subject: `Reset your ${tenant} password`,
    heading: 'Reset your password',
    blocks: [
      { kind: 'paragraph', text: `Someone asked to reset the password of your ${tenant} account. To choose a new password, open the link below.` },
      { kind: 'action', label: 'Choose a new password', url },
      { kind: 'paragraph', text: `The link expires in ${expires} and works once.` },
      { kind: 'note', text: 'If you did not ask for this, you can ignore this message: your password stays as it is.' },
    ],
  };
}
