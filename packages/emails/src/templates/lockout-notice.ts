import { checkLink } from '../check-link.js';
import type { Block, EmailContent } from '../email-content.js';
import { EmailParamError } from '../email-param-error.js';
import { formatWhen } from '../format-when.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'lockout_notice';

export interface LockoutNoticeParams {
  readonly tenantDisplayName: string;
  /** When the pause began (RFC 3339). */
  readonly when: string;
  /** `network`: sign-in from one network is paused; `account`: password sign-in is paused everywhere. */
  readonly scope: 'network' | 'account';
  /** The paused network, e.g. `198.51.100.0/24` (for `scope: 'network'`). */
  readonly network?: string;
  readonly resetLink: string;
}

/**
 * Explains that repeated failed sign-ins paused password sign-in (from one network, or for the
 * account), that the pause ends by itself, and that resetting the password ends it at once.
 */
export function lockoutNotice(params: LockoutNoticeParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const when = formatWhen(params.when, TEMPLATE, 'when');
  if (params.scope !== 'network' && params.scope !== 'account') throw new EmailParamError(TEMPLATE, 'scope', "must be 'network' or 'account'");
  const network = params.network === undefined ? undefined : oneLine(params.network, LIMITS.network, TEMPLATE, 'network');
  const url = checkLink(params.resetLink, TEMPLATE, 'resetLink');

  const what: Block =
    params.scope === 'account'
      ? { kind: 'paragraph', text: `There were many failed attempts to sign in to your ${tenant} account, so signing in with a password is paused for a while.` }
      : {
          kind: 'paragraph',
          text: `There were many failed attempts to sign in to your ${tenant} account from ${network === undefined ? 'one network' : `the network ${network}`}, so signing in from that network is paused for a while.`,
        };
  return {
    tenant,
    subject: `Sign-in to your ${tenant} account is paused`,
    heading: 'Sign-in is paused',
    blocks: [
      what,
      { kind: 'details', rows: [['When', when]] },
      { kind: 'paragraph', text: 'This keeps anyone from guessing your password. The pause ends by itself; resetting your password ends it at once.' },
      { kind: 'action', label: 'Reset your password', url },
      { kind: 'note', text: "If the failed attempts were yours, you can also wait and try again later. If they weren't, your account is safe as long as your password is not known to anyone else." },
    ],
  };
}
