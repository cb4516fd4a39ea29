import { createHash } from 'node:crypto';

/**
 * SHA-256 (hex) of a client secret. The secret has 256 bits of entropy, so publishing its hash in an
 * annotation reveals nothing usable; it lets the operator tell its own value from an edited one.
 */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The admin API's `clientSecretFingerprint` of an identity provider: the first 16 hex digits of the
 * SHA-256 of the stored client secret. Comparing it with the referenced Secret's value tells the
 * operator whether the secret must be sent again, without the API ever returning the secret.
 */
export function providerSecretFingerprint(secret: string): string {
  return secretFingerprint(secret).slice(0, 16);
}
