import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a client secret. The secret has 256 bits of entropy, so publishing its hash in an
 * annotation reveals nothing usable; it lets the operator tell its own value from an edited one.
 */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
