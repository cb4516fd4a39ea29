import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = 1;

/**
 * AES-256-GCM for data at rest (signing keys). Output: version ‖ iv ‖ tag ‖ ciphertext. The
 * associated data binds a ciphertext to its row (e.g. the `kid`), so one key's ciphertext cannot be
 * swapped into another row.
 */
export class EnvelopeCipher {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('EnvelopeCipher needs a 32-byte key');
    this.#key = key;
  }

  encrypt(plaintext: Buffer, associatedData: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(associatedData, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), ciphertext]);
  }

  decrypt(envelope: Buffer, associatedData: string): Buffer {
    if (envelope[0] !== VERSION) throw new Error('unknown envelope version');
    const iv = envelope.subarray(1, 1 + IV_BYTES);
    const tag = envelope.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
    decipher.setAAD(Buffer.from(associatedData, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(envelope.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  }
}
