import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { formatDuration } from '../format-duration.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'email_verification';

export interface EmailVerificationParams {
  readonly tenantDisplayName: string;
  /** The one-time confirmation link. */
  readonly link: string;
  readonly expiresInMinutes: number;
}

/** Asks the owner of a new address to confirm it is theirs (sign-up, or an address change). */
export function emailVerification(params: EmailVerificationParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const url = checkLink(params.link, TEMPLATE, 'link');
  const expires = formatDuration(params.expiresInMinutes, 'minutes', LIMITS.expiresInMinutes, TEMPLATE, 'expiresInMinutes');
  return {
    tenant,
    subject: `Confirm your e-mail address for ${tenant}`,
    heading: 'Confirm your e-mail address',
    blocks: [
      { kind: 'paragraph', text: `Please confirm that this e-mail address belongs to you, so ${tenant} can use it for your account.` },
      { kind: 'action', label: 'Confirm e-mail address', url },
      { kind: 'paragraph', text: `The link expires in ${expires}.` },
      { kind: 'note', text: `If you did not ask for an account with ${tenant}, you can ignore this message.` },
    ],
  };
}
