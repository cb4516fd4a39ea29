import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type JsonWebKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnvelopeCipher } from '@lanyard/security';
import { generateSigningKey, RSA_MODULUS_BITS, type GeneratedSigningKey } from '../../src/generate-signing-key.js';
import { jwkThumbprint } from '../../src/jwk-thumbprint.js';

const cipher = new EnvelopeCipher(randomBytes(32));
const privateKeyOf = (key: GeneratedSigningKey) => createPrivateKey({ key: cipher.decrypt(key.privateKeyCiphertext, key.kid), format: 'der', type: 'pkcs8' });

describe('generateSigningKey', () => {
  let es: GeneratedSigningKey;
  let rs: GeneratedSigningKey;
  beforeAll(async () => {
    [es, rs] = await Promise.all([generateSigningKey(cipher, 'ES256'), generateSigningKey(cipher, 'RS256')]);
  });

  it('ES256: a P-256 key published as kty, crv, x, y, kid, alg, use', () => {
    expect(es.alg).toBe('ES256');
    expect(Object.keys(es.publicJwk).sort()).toEqual(['alg', 'crv', 'kid', 'kty', 'use', 'x', 'y']);
    expect(es.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: es.kid, alg: 'ES256', use: 'sig' });
    expect(createPublicKey({ key: es.publicJwk as JsonWebKey, format: 'jwk' }).asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
  });

  it('RS256: a 2048-bit RSA key with e = 65537, published as kty, n, e, kid, alg, use', () => {
    expect(rs.alg).toBe('RS256');
    expect(Object.keys(rs.publicJwk).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(rs.publicJwk).toMatchObject({ kty: 'RSA', e: 'AQAB', kid: rs.kid, alg: 'RS256', use: 'sig' });
    expect(RSA_MODULUS_BITS).toBe(2048);
    expect(createPublicKey({ key: rs.publicJwk as JsonWebKey, format: 'jwk' }).asymmetricKeyDetails).toEqual({ modulusLength: 2048, publicExponent: 65537n });
    // base64url of 256 bytes, no padding
    expect(rs.publicJwk.kty === 'RSA' && Buffer.from(rs.publicJwk.n, 'base64url')).toHaveLength(256);
  });

  it('names each key by its RFC 7638 thumbprint', () => {
    expect(es.kid).toBe(jwkThumbprint(es.publicJwk));
    expect(rs.kid).toBe(jwkThumbprint(rs.publicJwk));
    expect(es.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rs.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('publishes no private member', () => {
    for (const key of [es, rs]) {
      for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k']) expect(key.publicJwk).not.toHaveProperty(member);
    }
  });

  it('stores the private key only encrypted, bound to its kid', () => {
    for (const key of [es, rs]) {
      expect(key.privateKeyCiphertext[0]).toBe(1); // envelope version byte
      expect(key.privateKeyCiphertext.includes(Buffer.from('PRIVATE KEY'))).toBe(false);
      expect(() => cipher.decrypt(key.privateKeyCiphertext, 'another-kid')).toThrow();
    }
    expect(privateKeyOf(es).asymmetricKeyType).toBe('ec');
    expect(privateKeyOf(rs).asymmetricKeyType).toBe('rsa');
  });

  it('gives a private key that signs what the published key verifies (RS256: PKCS#1 v1.5, SHA-256)', () => {
    const data = Buffer.from('header.payload');
    const signature = sign('sha256', data, privateKeyOf(rs));
    expect(signature).toHaveLength(256);
    expect(verify('sha256', data, createPublicKey({ key: rs.publicJwk as JsonWebKey, format: 'jwk' }), signature)).toBe(true);
  });

  it('never repeats a key', async () => {
    expect((await generateSigningKey(cipher, 'RS256')).kid).not.toBe(rs.kid);
  });
});
