import { createHash } from 'node:crypto';

/**
 * SHA-256 of a high-entropy bearer value (code, refresh token, session cookie). A plain hash is
 * enough: with 256 random bits there is nothing to brute-force, and lookups stay one index probe.
 */
export function tokenHash(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
