import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { formatWhen } from '../format-when.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'new_device_sign_in';

export interface NewDeviceSignInParams {
  readonly tenantDisplayName: string;
  /** When the sign-in happened (RFC 3339). */
  readonly when: string;
  /** A short description such as `Firefox on Linux`; comes from the User-Agent, so it is neutralised, not trusted. */
  readonly browser: string;
  /** The network the sign-in came from, e.g. `198.51.100.0/24`, never the full address. */
  readonly network: string;
  readonly resetLink: string;
}

/** Tells the account owner about a sign-in from a device not seen before. */
export function newDeviceSignIn(params: NewDeviceSignInParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const when = formatWhen(params.when, TEMPLATE, 'when');
  const browser = oneLine(params.browser, LIMITS.browser, TEMPLATE, 'browser');
  const network = oneLine(params.network, LIMITS.network, TEMPLATE, 'network');
  const url = checkLink(params.resetLink, TEMPLATE, 'resetLink');
  return {
    tenant,
    subject: `New sign-in to your ${tenant} account`,
    heading: 'New sign-in to your account',
    blocks: [
      { kind: 'paragraph', text: `Your ${tenant} account was signed in to from a device that has not been used with it before.` },
      { kind: 'details', rows: [['When', when], ['Browser', browser], ['Network', network]] },
      { kind: 'paragraph', text: 'If this was you, there is nothing else to do.' },
      { kind: 'paragraph', text: "If this wasn't you, someone else knows your password: reset it now." },
      { kind: 'action', label: 'Reset your password', url },
    ],
  };
}
