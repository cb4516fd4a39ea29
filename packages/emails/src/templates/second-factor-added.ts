import { checkLink } from '../check-link.js';
import type { EmailContent } from '../email-content.js';
import { EmailParamError } from '../email-param-error.js';
import { formatWhen } from '../format-when.js';
import { LIMITS } from '../limits.js';
import { oneLine, optionalLine } from '../one-line.js';

const TEMPLATE = 'second_factor_added';

const KINDS = {
  totp: { noun: 'authenticator app', article: 'An' },
  passkey: { noun: 'passkey', article: 'A' },
} as const;

export interface SecondFactorAddedParams {
  readonly tenantDisplayName: string;
  /** When the factor was added (RFC 3339). */
  readonly when: string;
  /** `totp`: an authenticator app (RFC 6238); `passkey`: a WebAuthn credential. */
  readonly factor: 'totp' | 'passkey';
  /** The factor's own name, e.g. a passkey's `Work laptop`; mentioned in the body only, never the subject. */
  readonly name?: string;
  /** The account page, where second factors are removed. */
  readonly accountLink: string;
}

/**
 * Tells the account owner that a second factor (an authenticator app or a passkey) was added to
 * their account: if someone else added it, they can sign in with it, so the owner must remove it.
 */
export function secondFactorAdded(params: SecondFactorAddedParams): EmailContent {
  const tenant = oneLine(params.tenantDisplayName, LIMITS.tenantDisplayName, TEMPLATE, 'tenantDisplayName');
  const when = formatWhen(params.when, TEMPLATE, 'when');
  if (params.factor !== 'totp' && params.factor !== 'passkey') throw new EmailParamError(TEMPLATE, 'factor', "must be 'totp' or 'passkey'");
  const { noun, article } = KINDS[params.factor];
  // Whoever added the factor picked its name; keeping it out of the subject keeps it from posing as
  // the sender, and a blank one is left out rather than refused, so it cannot suppress the notice.
  const name = optionalLine(params.name, LIMITS.factorName, TEMPLATE, 'name');
  const url = checkLink(params.accountLink, TEMPLATE, 'accountLink');
  return {
    tenant,
    subject: `${article} ${noun} was added to your ${tenant} account`,
    heading: `${article} ${noun} was added`,
    blocks: [
      {
        kind: 'paragraph',
        text: `${article} ${noun}${name === undefined ? '' : ` named “${name}”`} was added to your ${tenant} account as a second factor. It can now be used to sign in.`,
      },
      { kind: 'details', rows: [['When', when]] },
      { kind: 'paragraph', text: 'If this was you, there is nothing else to do.' },
      { kind: 'paragraph', text: `If this wasn't you, someone else has access to your account: remove the ${noun} on your account page and change your password now.` },
      { kind: 'action', label: 'Go to your account', url },
    ],
  };
}
