import { InvalidRequest } from '@lanyard/errors';
import type { AuthorizeStep } from './authorize-context.js';

/** A base64url SHA-256 digest is exactly 43 characters (RFC 7636 §4.2). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Rules (RFC 7636, OAuth 2.1 §4.1.1, RFC 9700 §2.1.1):
 * - `code_challenge` is required, unless the client is confidential and its PKCE policy is
 *   `optional` — an OIDC relying party that defends against code injection with `nonce` instead
 *   (public clients always require it; the admin API refuses `optional` for them);
 * - when sent, `code_challenge_method` must be given and be `S256`: absent means `plain`
 *   (RFC 7636 §4.3), and `plain` offers no protection if the request leaks, so both are refused;
 * - the challenge must have the shape of a base64url SHA-256 digest;
 * - a method without a challenge is refused rather than ignored.
 * Whether a challenge was stored decides the token request: a stored challenge needs its verifier,
 * and no stored challenge refuses a verifier (downgrade protection, RFC 9700 §2.1.1).
 */
export const checkPkce: AuthorizeStep = (ctx) => {
  const challenge = ctx.params.get('code_challenge');
  const method = ctx.params.get('code_challenge_method');
  const client = ctx.client!;
  if (challenge === undefined) {
    if (method !== undefined) throw new InvalidRequest('code_challenge_method was sent without code_challenge.');
    if (client.type === 'confidential' && client.pkce === 'optional') {
      ctx.result.codeChallenge = null;
      return;
    }
    throw new InvalidRequest('PKCE is required: send code_challenge with code_challenge_method=S256.');
  }
  if (method === undefined) throw new InvalidRequest('code_challenge_method is required and must be S256.');
  if (method !== 'S256') throw new InvalidRequest('Only code_challenge_method=S256 is supported.');
  if (!S256_CHALLENGE.test(challenge)) throw new InvalidRequest('code_challenge must be a base64url-encoded SHA-256 digest (43 characters).');
  ctx.result.codeChallenge = challenge;
};
