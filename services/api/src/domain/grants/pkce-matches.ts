import { createHash } from 'node:crypto';
import { constantTimeEqual } from '@lanyard/security';

/** RFC 7636 §4.6 with S256: BASE64URL(SHA256(ASCII(code_verifier))) equals the stored challenge, in constant time. */
export function pkceMatches(codeVerifier: string, codeChallenge: string): boolean {
  const computed = createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
  return constantTimeEqual(computed, codeChallenge);
}
