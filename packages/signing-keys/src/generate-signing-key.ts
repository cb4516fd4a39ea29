import { createHash, generateKeyPairSync, type JsonWebKey } from 'node:crypto';
import type { EnvelopeCipher } from '@lanyard/security';

/** The only signing algorithm we issue (docs/reference/tokens.md: ES256 from a per-tenant key set). */
export const SIGNING_ALG = 'ES256';

export interface GeneratedSigningKey {
  readonly kid: string;
  readonly alg: typeof SIGNING_ALG;
  readonly publicJwk: Record<string, unknown>;
  readonly privateKeyCiphertext: Buffer;
}

/**
 * Creates a P-256 key pair. The `kid` is the RFC 7638 JWK thumbprint, so it is derived from the key
 * itself and can never collide between tenants by accident. The private key leaves this function
 * only encrypted, with the kid as associated data.
 */
export function generateSigningKey(cipher: EnvelopeCipher): GeneratedSigningKey {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey & { crv: string; x: string; y: string };
  const kid = jwkThumbprint(jwk);
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    kid,
    alg: SIGNING_ALG,
    publicJwk: { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y, kid, alg: SIGNING_ALG, use: 'sig' },
    privateKeyCiphertext: cipher.encrypt(der, kid),
  };
}

/** RFC 7638 §3.2: SHA-256 over the required members in lexicographic order, no whitespace. */
export function jwkThumbprint(jwk: { crv: string; x: string; y: string }): string {
  const canonical = `{"crv":"${jwk.crv}","kty":"EC","x":"${jwk.x}","y":"${jwk.y}"}`;
  return createHash('sha256').update(canonical).digest('base64url');
}
