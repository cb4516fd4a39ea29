import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { SigningKey } from '@lanyard/db';
import type { EnvelopeCipher } from '@lanyard/security';
import { publicJwkOf, type PublicJwk } from './generate-signing-key.js';
import { isSigningAlg, SIGNING_ALGS, type SigningAlg } from './signing-algs.js';

interface LoadedKey {
  readonly row: SigningKey;
  readonly alg: SigningAlg;
  readonly publicJwk: PublicJwk;
  readonly publicKey: KeyObject;
  readonly privateKey: KeyObject;
}

/** The key to sign with: put `kid` and `alg` in the JWS header. */
export interface UsableKey {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly privateKey: KeyObject;
}

/**
 * A published public key and the one algorithm it verifies. A verifier must refuse a token whose
 * header `alg` is not this `alg` (RFC 8725 §3.1), so a key is only ever used with its own algorithm.
 */
export interface VerificationKey {
  readonly alg: SigningAlg;
  readonly publicKey: KeyObject;
}

/**
 * A tenant's keys as loaded from the database: which key of each algorithm signs now, which public
 * keys verify, and the JWKS document. Decrypts each private key once, when the ring is built, and
 * checks that each key is of the type its `alg` says (P-256 for ES256, RSA of at least 2048 bits for
 * RS256), so an inconsistent row fails loudly here instead of being published or trusted.
 * Rows with an algorithm this version does not sign with are ignored (a rollback past a newer
 * algorithm keeps working with the keys it knows).
 */
export class SigningKeyRing {
  readonly #keys: readonly LoadedKey[];
  readonly #byKid: ReadonlyMap<string, LoadedKey>;
  /**
   * Every published key of every algorithm, ES256 keys first, newest first within an algorithm;
   * retired keys stay until they expire, successors appear before they sign.
   */
  readonly jwks: { readonly keys: readonly PublicJwk[] };

  constructor(rows: readonly SigningKey[], cipher: EnvelopeCipher) {
    this.#keys = rows
      .filter((row) => isSigningAlg(row.alg))
      .map((row) => loadKey(row, cipher))
      .sort((a, b) => SIGNING_ALGS.indexOf(a.alg) - SIGNING_ALGS.indexOf(b.alg) || b.row.activatesAt.getTime() - a.row.activatesAt.getTime());
    this.#byKid = new Map(this.#keys.map((k) => [k.row.kid, k]));
    this.jwks = { keys: this.#keys.map((k) => k.publicJwk) };
  }

  /** The newest activated, unretired key of `alg` at `now`; undefined if none (the caller ensures one). */
  signingKey(now: Date, alg: SigningAlg): UsableKey | undefined {
    let best: LoadedKey | undefined;
    for (const k of this.#keys) {
      if (k.alg !== alg || k.row.activatesAt > now || (k.row.retiredAt !== null && k.row.retiredAt <= now)) continue;
      if (best === undefined || k.row.activatesAt > best.row.activatesAt) best = k;
    }
    return best && { kid: best.row.kid, alg: best.alg, privateKey: best.privateKey };
  }

  /** A published key by `kid`, with its algorithm, for verifying our own tokens. */
  verificationKey(kid: string): VerificationKey | undefined {
    const k = this.#byKid.get(kid);
    return k && { alg: k.alg, publicKey: k.publicKey };
  }
}

function loadKey(row: SigningKey, cipher: EnvelopeCipher): LoadedKey {
  const alg = row.alg as SigningAlg;
  const publicKey = createPublicKey({ key: row.publicJwk as JsonWebKey, format: 'jwk' });
  const privateKey = createPrivateKey({ key: cipher.decrypt(row.privateKeyCiphertext, row.kid), format: 'der', type: 'pkcs8' });
  if (row.publicJwk.alg !== alg || !fitsAlg(publicKey, alg) || !fitsAlg(privateKey, alg)) {
    throw new Error(`signing key ${row.kid} is not a valid ${alg} key`);
  }
  // Rebuilt from the key rather than copied from the row, so the JWKS has exactly the public members.
  return { row, alg, publicJwk: publicJwkOf(publicKey, alg, row.kid), publicKey, privateKey };
}

/** RFC 7518 §3.3 (RS256: at least 2048 bits) and §3.4 (ES256: P-256). */
function fitsAlg(key: KeyObject, alg: SigningAlg): boolean {
  switch (alg) {
    case 'ES256':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1';
    case 'RS256':
      return key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) >= 2048;
  }
}
