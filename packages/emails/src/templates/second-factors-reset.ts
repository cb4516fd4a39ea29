import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { formatWhen } from '../format-when.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'second_factors_reset';

export interface SecondFactorsResetParams {
  readonly tenantDisplayName: string;
  /** When the factors were removed (RFC 3339). */
  readonly when: string;
  /** The account page, where new second factors are set up. */
  readonly accountLink: string;
}

/**
 * Tells the account owner that an administrator removed every second factor of their account
 * (after a lost phone or security key, say), how to sign in now and how to set up new ones.
 */
export function secondFactorsReset(params: SecondFactorsResetParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const when = formatWhen(params.when, TEMPLATE, 'when');
  const url = checkLink(params.accountLink, TEMPLATE, 'accountLink');
  return {
    tenant,
    subject: `The second factors of your ${tenant} account were removed`,
    heading: 'Your second factors were removed',
    blocks: [
      {
        kind: 'paragraph',
        text: `An administrator of ${tenant} removed all second factors from your account: your authenticator app, your passkeys and your recovery codes no longer work for it.`,
      },
      { kind: 'details', rows: [['When', when]] },
      {
        kind: 'paragraph',
        text: `You now sign in with your password. You can set up new second factors on your account page; if ${tenant} requires one, you may be asked to when you next sign in.`,
      },
      { kind: 'action', label: 'Go to your account', url },
      { kind: 'paragraph', text: `If you didn't expect this, contact the administrators of ${tenant} right away.` },
    ],
  };
}
