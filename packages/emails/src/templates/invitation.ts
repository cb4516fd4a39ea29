import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { formatDuration } from '../format-duration.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'invitation';

export interface InvitationParams {
  readonly tenantDisplayName: string;
  /** The one-time link that accepts the invitation. */
  readonly link: string;
  readonly expiresInDays: number;
  /** Display name of whoever sent the invitation; mentioned in the body only, never the subject. */
  readonly invitedBy?: string;
}

/** Invites someone to create an account with the tenant. */
export function invitation(params: InvitationParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const url = checkLink(params.link, TEMPLATE, 'link');
  const expires = formatDuration(params.expiresInDays, 'days', LIMITS.expiresInDays, TEMPLATE, 'expiresInDays');
  // The inviter picks their own name; keeping it out of the subject keeps it from posing as the sender.
  const invitedBy = params.invitedBy === undefined ? undefined : oneLine(params.invitedBy, LIMITS.invitedBy, TEMPLATE, 'invitedBy');
  return {
    tenant,
    subject: `You're invited to join ${tenant}`,
    heading: "You're invited",
    blocks: [
      {
        kind: 'paragraph',
        text: invitedBy === undefined ? `You have been invited to create an account with ${tenant}.` : `${invitedBy} invited you to create an account with ${tenant}.`,
      },
      { kind: 'action', label: 'Accept the invitation', url },
      { kind: 'paragraph', text: `The invitation expires in ${expires}.` },
      { kind: 'note', text: "If you weren't expecting this invitation, you can ignore this message." },
    ],
  };
}
