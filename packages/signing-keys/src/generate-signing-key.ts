import { generateKeyPair, type JsonWebKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import type { EnvelopeCipher } from '@lanyard/security';
import { jwkThumbprint, type ThumbprintMembers } from './jwk-thumbprint.js';
import type { SigningAlg } from './signing-algs.js';

/**
 * RSA modulus size. 2048 bits is what OpenID conformance and practically every relying party expect,
 * and it is acceptable to NIST SP 800-57 through 2030, well beyond the life of a key we rotate every
 * 30 days. 3072 bits would cost ~3.5× as much per signature (~3.4 ms against ~0.9 ms, measured
 * with node:crypto), and signing runs synchronously on the API's main thread for every token of an
 * RS256 client, so the bigger key would buy strength we do not need with latency we do not want.
 */
export const RSA_MODULUS_BITS = 2048;
/** F4, the only public exponent worth using (RFC 7518 §6.3.1.2 requires the usual `AQAB`). */
const RSA_PUBLIC_EXPONENT = 0x10001;

/** Common members of every JWK we publish (RFC 7517 §4). */
type PublishedMembers = { readonly kid: string; readonly use: 'sig' };
/** A published P-256 key (RFC 7518 §6.2.1). */
export type EcPublicJwk = { readonly kty: 'EC'; readonly crv: 'P-256'; readonly x: string; readonly y: string; readonly alg: 'ES256' } & PublishedMembers;
/** A published RSA key (RFC 7518 §6.3.1). */
export type RsaPublicJwk = { readonly kty: 'RSA'; readonly n: string; readonly e: string; readonly alg: 'RS256' } & PublishedMembers;
/** A public key as it appears in the JWKS and in the `public_jwk` column. Never has private members. */
export type PublicJwk = EcPublicJwk | RsaPublicJwk;

export interface GeneratedSigningKey {
  readonly kid: string;
  readonly alg: SigningAlg;
  readonly publicJwk: PublicJwk;
  /** PKCS#8 DER of the private key, encrypted with the envelope cipher under the kid as associated data. */
  readonly privateKeyCiphertext: Buffer;
}

const generate = promisify(generateKeyPair);

/**
 * Creates a key pair for `alg`: P-256 for ES256, 2048-bit RSA with e = 65537 for RS256. The `kid` is
 * the RFC 7638 JWK thumbprint, so it is derived from the key itself and can never collide between
 * tenants by accident. The private key leaves this function only encrypted, with the kid as
 * associated data.
 *
 * Generation runs on libuv's thread pool rather than the calling thread: an RSA-2048 key takes
 * ~50–250 ms (a P-256 key well under a millisecond), which must not stall the event loop. It only
 * happens when a tenant is created and when the rotation planner asks for a successor, never while
 * a token is issued.
 */
export async function generateSigningKey(cipher: EnvelopeCipher, alg: SigningAlg): Promise<GeneratedSigningKey> {
  const { publicKey, privateKey } = await generatePair(alg);
  const kid = jwkThumbprint(thumbprintMembersOf(publicKey, alg));
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return { kid, alg, publicJwk: publicJwkOf(publicKey, alg, kid), privateKeyCiphertext: cipher.encrypt(der, kid) };
}

/**
 * The JWK we publish for `publicKey`: exactly the public members of its key type plus `kid`, `alg`
 * and `use`, never a private member, whatever the key was built from.
 */
export function publicJwkOf(publicKey: KeyObject, alg: SigningAlg, kid: string): PublicJwk {
  const members = thumbprintMembersOf(publicKey, alg);
  return members.kty === 'EC'
    ? { kty: 'EC', crv: 'P-256', x: members.x, y: members.y, kid, alg: 'ES256', use: 'sig' }
    : { kty: 'RSA', n: members.n, e: members.e, kid, alg: 'RS256', use: 'sig' };
}

function thumbprintMembersOf(publicKey: KeyObject, alg: SigningAlg): ThumbprintMembers {
  const jwk = publicKey.export({ format: 'jwk' }) as JsonWebKey & Partial<Record<'crv' | 'x' | 'y' | 'n' | 'e', string>>;
  if (alg === 'ES256' && jwk.kty === 'EC' && jwk.crv === 'P-256' && jwk.x && jwk.y) return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y };
  if (alg === 'RS256' && jwk.kty === 'RSA' && jwk.n && jwk.e) return { kty: 'RSA', n: jwk.n, e: jwk.e };
  throw new Error(`not a ${alg} public key`);
}

function generatePair(alg: SigningAlg): Promise<{ publicKey: KeyObject; privateKey: KeyObject }> {
  switch (alg) {
    case 'ES256':
      return generate('ec', { namedCurve: 'P-256' });
    case 'RS256':
      return generate('rsa', { modulusLength: RSA_MODULUS_BITS, publicExponent: RSA_PUBLIC_EXPONENT });
  }
}
