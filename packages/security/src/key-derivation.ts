import { hkdfSync } from 'node:crypto';

/**
 * Purposes for which sub-keys are derived from KEY_ENCRYPTION_KEY (HKDF-SHA-256, RFC 5869). One
 * root secret, independent keys: compromising a derived key reveals nothing about the others.
 */
export type KeyPurpose =
  | 'signing-key-encryption'
  | 'client-secret-pepper'
  | 'refresh-token-successor'
  | 'csrf'
  | 'cookie-signing'
  | 'totp-secret-encryption'
  | 'recovery-code-pepper'
  | 'upstream-client-secret';

export function deriveKey(root: Buffer, purpose: KeyPurpose, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `lanyard:${purpose}`, length));
}
