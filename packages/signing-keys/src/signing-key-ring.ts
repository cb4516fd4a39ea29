import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { SigningKey } from '@lanyard/db';
import type { EnvelopeCipher } from '@lanyard/security';

interface LoadedKey {
  readonly row: SigningKey;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

export interface UsableKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: KeyObject;
}

/**
 * A tenant's keys as loaded from the database: which key signs now, which public keys verify,
 * and the JWKS document. Decrypts each private key once, when the ring is built.
 */
export class SigningKeyRing {
  readonly #keys: readonly LoadedKey[];
  readonly jwks: { keys: ReadonlyArray<Record<string, unknown>> };

  constructor(rows: readonly SigningKey[], cipher: EnvelopeCipher) {
    this.#keys = rows.map((row) => ({
      row,
      publicKey: createPublicKey({ key: row.publicJwk as JsonWebKey, format: 'jwk' }),
      privateKey: createPrivateKey({ key: cipher.decrypt(row.privateKeyCiphertext, row.kid), format: 'der', type: 'pkcs8' }),
    }));
    this.jwks = { keys: this.#keys.map((k) => k.row.publicJwk) };
  }

  /** The newest activated, unretired key at `now`; undefined if none (the caller ensures one). */
  signingKey(now: Date): UsableKey | undefined {
    let best: LoadedKey | undefined;
    for (const k of this.#keys) {
      if (k.row.activatesAt > now || (k.row.retiredAt !== null && k.row.retiredAt <= now)) continue;
      if (best === undefined || k.row.activatesAt > best.row.activatesAt) best = k;
    }
    return best && { kid: best.row.kid, alg: best.row.alg, privateKey: best.privateKey };
  }

  /** A published key by `kid`, for verifying our own tokens. */
  verificationKey(kid: string): KeyObject | undefined {
    return this.#keys.find((k) => k.row.kid === kid)?.publicKey;
  }
}
