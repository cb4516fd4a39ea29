import { InvalidRequest } from '@lanyard/errors';
import type { AuthorizeStep } from './authorize-context.js';

/** A base64url SHA-256 digest is exactly 43 characters (RFC 7636 §4.2). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Rules (RFC 7636, OAuth 2.1 §4.1.1, RFC 9700 §2.1.1):
 * - `code_challenge` is required from every client, public or confidential;
 * - `code_challenge_method` must be given and be `S256`: absent means `plain` (RFC 7636 §4.3),
 *   and `plain` offers no protection if the request leaks, so both are refused;
 * - the challenge must have the shape of a base64url SHA-256 digest.
 */
export const checkPkce: AuthorizeStep = (ctx) => {
  const challenge = ctx.params.get('code_challenge');
  const method = ctx.params.get('code_challenge_method');
  if (challenge === undefined) throw new InvalidRequest('PKCE is required: send code_challenge with code_challenge_method=S256.');
  if (method === undefined) throw new InvalidRequest('code_challenge_method is required and must be S256.');
  if (method !== 'S256') throw new InvalidRequest('Only code_challenge_method=S256 is supported.');
  if (!S256_CHALLENGE.test(challenge)) throw new InvalidRequest('code_challenge must be a base64url-encoded SHA-256 digest (43 characters).');
  ctx.result.codeChallenge = challenge;
};
