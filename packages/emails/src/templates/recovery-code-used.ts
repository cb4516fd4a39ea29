import { checkLink } from '../check-link.js';
import type { Block, EmailContent } from '../email-content.js';
import { EmailParamError } from '../email-param-error.js';
import { formatWhen } from '../format-when.js';
import { LIMITS } from '../limits.js';
import { oneLine } from '../one-line.js';

const TEMPLATE = 'recovery_code_used';

/** At or below this many unused codes, the message urges a new set. */
const FEW = 3;

export interface RecoveryCodeUsedParams {
  readonly tenantDisplayName: string;
  /** When the code was used (RFC 3339). */
  readonly when: string;
  /** How many of the user's recovery codes are still unused, after this one (0 when it was the last). */
  readonly remaining: number;
  /** The network the sign-in came from, e.g. `198.51.100.0/24`, never the full address. */
  readonly network?: string;
  /** The account page, where recovery codes are generated again and second factors managed. */
  readonly accountLink: string;
}

/**
 * Tells the account owner that one of their single-use recovery codes was just used to sign in and
 * how many are left, urges a new set when few or none are, and says what to do if it was not them.
 */
export function recoveryCodeUsed(params: RecoveryCodeUsedParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const when = formatWhen(params.when, TEMPLATE, 'when');
  const remaining: unknown = params.remaining;
  if (typeof remaining !== 'number' || !Number.isInteger(remaining) || remaining < 0 || remaining > LIMITS.recoveryCodes) {
    throw new EmailParamError(TEMPLATE, 'remaining', `must be an integer from 0 to ${LIMITS.recoveryCodes}`);
  }
  const network = params.network === undefined ? undefined : oneLine(params.network, LIMITS.network, TEMPLATE, 'network');
  const url = checkLink(params.accountLink, TEMPLATE, 'accountLink');

  const left: Block =
    remaining === 0
      ? { kind: 'paragraph', text: 'That was your last recovery code. If this was you, generate a new set on your account page now: without recovery codes, losing your other second factors would leave you no way to sign in.' }
      : remaining <= FEW
        ? { kind: 'paragraph', text: `Only ${remaining} unused recovery ${remaining === 1 ? 'code is' : 'codes are'} left. If this was you, generate a new set on your account page before you run out.` }
        : { kind: 'paragraph', text: 'If this was you, there is nothing else to do.' };
  return {
    tenant,
    subject: `A recovery code was used to sign in to your ${tenant} account`,
    heading: 'A recovery code was used',
    blocks: [
      { kind: 'paragraph', text: `One of the recovery codes of your ${tenant} account was just used to sign in. Each code works once, so this one cannot be used again.` },
      { kind: 'details', rows: network === undefined ? [['When', when], ['Codes left', String(remaining)]] : [['When', when], ['Network', network], ['Codes left', String(remaining)]] },
      left,
      { kind: 'paragraph', text: "If this wasn't you, someone else knows your password and has one of your recovery codes: change your password and generate new recovery codes now, which makes the old ones stop working." },
      { kind: 'action', label: 'Go to your account', url },
    ],
  };
}
