import type { SigningKeyService } from '../domain/keys/signing-key-service.js';

/**
 * Fails start-up when KEY_ENCRYPTION_KEY cannot decrypt the signing keys already stored — the
 * usual cause is a changed or mistyped key. Without this check every token request would fail
 * with a 500 until someone found the cause in the logs.
 */
export async function checkKeyEncryptionKey(keys: Pick<SigningKeyService, 'canDecryptStoredKeys'>): Promise<void> {
  if (!(await keys.canDecryptStoredKeys())) throw new KeyEncryptionKeyMismatch();
}

export class KeyEncryptionKeyMismatch extends Error {
  constructor() {
    super('KEY_ENCRYPTION_KEY cannot decrypt the stored signing keys; it differs from the key they were encrypted with');
  }
}
