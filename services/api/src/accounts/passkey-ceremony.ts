import { randomToken } from '@lanyard/security';
import type { PasskeyCeremony } from '../pages/second-factor-pages.js';
import type { ChallengeOwner, WebauthnChallenges } from '../oauth/interaction/webauthn-challenges.js';

/**
 * Puts a WebAuthn ceremony on a page: its challenge held for `owner` (replacing the owner's last
 * one), the options as the script reads them, and a fresh nonce for the page's CSP.
 */
export async function startCeremony(challenges: Pick<WebauthnChallenges, 'hold'>, options: { readonly challenge: string }, owner: ChallengeOwner): Promise<PasskeyCeremony> {
  await challenges.hold(owner, options.challenge);
  return { options: JSON.stringify(options), nonce: randomToken(16) };
}
