import { signingKeys } from '@lanyard/db';
import type { AppContext } from '../context.js';

/**
 * Fails start-up when KEY_ENCRYPTION_KEY cannot decrypt the signing keys already stored — the
 * usual cause is a changed or mistyped key. Without this check every token request would fail
 * with a 500 until someone found the cause in the logs.
 */
export async function checkKeyEncryptionKey(ctx: AppContext): Promise<void> {
  const [sample] = await ctx.database.db.select().from(signingKeys).limit(1);
  if (sample === undefined) return;
  try {
    ctx.cipher.decrypt(sample.privateKeyCiphertext, sample.kid);
  } catch {
    throw new KeyEncryptionKeyMismatch();
  }
}

export class KeyEncryptionKeyMismatch extends Error {
  constructor() {
    super('KEY_ENCRYPTION_KEY cannot decrypt the stored signing keys; it differs from the key they were encrypted with');
  }
}
