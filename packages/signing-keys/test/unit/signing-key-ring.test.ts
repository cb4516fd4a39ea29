import { randomBytes, sign, verify } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SigningKey } from '@lanyard/db';
import { EnvelopeCipher } from '@lanyard/security';
import { generateSigningKey } from '../../src/generate-signing-key.js';
import { SigningKeyRing } from '../../src/signing-key-ring.js';
import type { SigningAlg } from '../../src/signing-algs.js';

const DAY = 86_400_000;
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const cipher = new EnvelopeCipher(randomBytes(32));
const TENANT = '00000000-0000-4000-8000-000000000001';

const row = async (alg: SigningAlg, activatesAt: Date, extra: Partial<SigningKey> = {}): Promise<SigningKey> => ({
  ...(await generateSigningKey(cipher, alg)),
  tenantId: TENANT,
  createdAt: activatesAt,
  activatesAt,
  retiredAt: null,
  expiresAt: null,
  ...extra,
});

describe('SigningKeyRing', () => {
  // ES256: ec-old signed from t0 and retired at 30 d, ec-cur signs from 30 d, ec-next is published for 60 d.
  // RS256: rs-cur signs from 10 d, rs-next is published for 40 d.
  let rows: Record<'ecOld' | 'ecCur' | 'ecNext' | 'rsCur' | 'rsNext', SigningKey>;
  let ring: SigningKeyRing;
  beforeAll(async () => {
    rows = {
      ecOld: await row('ES256', t0, { retiredAt: at(30 * DAY), expiresAt: at(31 * DAY) }),
      ecCur: await row('ES256', at(30 * DAY)),
      ecNext: await row('ES256', at(60 * DAY)),
      rsCur: await row('RS256', at(10 * DAY)),
      rsNext: await row('RS256', at(40 * DAY)),
    };
    // Deliberately shuffled: the ring must not depend on row order.
    ring = new SigningKeyRing([rows.rsNext, rows.ecCur, rows.ecOld, rows.rsCur, rows.ecNext], cipher);
  });

  describe('signingKey(now, alg)', () => {
    it('picks the newest activated, unretired key of the requested algorithm', () => {
      const now = at(30 * DAY + 1);
      expect(ring.signingKey(now, 'ES256')).toMatchObject({ kid: rows.ecCur.kid, alg: 'ES256' });
      expect(ring.signingKey(now, 'RS256')).toMatchObject({ kid: rows.rsCur.kid, alg: 'RS256' });
    });

    it('moves to each algorithm’s successor only when that successor activates', () => {
      expect(ring.signingKey(at(40 * DAY), 'RS256')?.kid).toBe(rows.rsNext.kid);
      expect(ring.signingKey(at(40 * DAY), 'ES256')?.kid).toBe(rows.ecCur.kid);
      expect(ring.signingKey(at(60 * DAY), 'ES256')?.kid).toBe(rows.ecNext.kid);
    });

    it('never signs with a retired key, and says so when an algorithm has no usable key', () => {
      expect(ring.signingKey(at(5 * DAY), 'ES256')?.kid).toBe(rows.ecOld.kid);
      expect(ring.signingKey(at(5 * DAY), 'RS256')).toBeUndefined(); // rs-cur only signs from 10 d
      const onlyRetired = new SigningKeyRing([rows.ecOld], cipher);
      expect(onlyRetired.signingKey(at(30 * DAY), 'ES256')).toBeUndefined();
      expect(new SigningKeyRing([rows.ecCur], cipher).signingKey(at(30 * DAY), 'RS256')).toBeUndefined();
    });

    it('hands out private keys that verify with the published key of the same kid', () => {
      for (const alg of ['ES256', 'RS256'] as const) {
        const key = ring.signingKey(at(45 * DAY), alg)!;
        const data = Buffer.from('header.payload');
        const options = alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {};
        const signature = sign('sha256', data, { key: key.privateKey, ...options });
        const published = ring.verificationKey(key.kid)!;
        expect(verify('sha256', data, { key: published.publicKey, ...options }, signature)).toBe(true);
      }
    });
  });

  describe('verificationKey(kid)', () => {
    it('returns the public key together with its algorithm', () => {
      const ec = ring.verificationKey(rows.ecOld.kid)!;
      expect(ec.alg).toBe('ES256');
      expect(ec.publicKey.type).toBe('public');
      expect(ec.publicKey.asymmetricKeyType).toBe('ec');
      const rs = ring.verificationKey(rows.rsNext.kid)!;
      expect(rs.alg).toBe('RS256');
      expect(rs.publicKey.type).toBe('public');
      expect(rs.publicKey.asymmetricKeyDetails).toEqual({ modulusLength: 2048, publicExponent: 65537n });
    });

    it('is undefined for a kid that is not published', () => {
      expect(ring.verificationKey('unknown')).toBeUndefined();
    });
  });

  describe('jwks', () => {
    it('publishes every key of both algorithms, ES256 first, newest first within an algorithm', () => {
      expect(ring.jwks.keys.map((k) => k.kid)).toEqual([rows.ecNext.kid, rows.ecCur.kid, rows.ecOld.kid, rows.rsNext.kid, rows.rsCur.kid]);
    });

    it('gives each key kty, kid, alg and use plus the public members of its type, and nothing else', () => {
      for (const jwk of ring.jwks.keys) {
        if (jwk.kty === 'EC') {
          expect(Object.keys(jwk)).toEqual(['kty', 'crv', 'x', 'y', 'kid', 'alg', 'use']);
          expect(jwk).toMatchObject({ crv: 'P-256', alg: 'ES256', use: 'sig' });
        } else {
          expect(Object.keys(jwk)).toEqual(['kty', 'n', 'e', 'kid', 'alg', 'use']);
          expect(jwk).toMatchObject({ kty: 'RSA', e: 'AQAB', alg: 'RS256', use: 'sig' });
        }
      }
    });

    it('derives the published members from the key, so a private member in a row is never published', () => {
      const leaky = { ...rows.rsCur, publicJwk: { ...rows.rsCur.publicJwk, d: 'secret', p: 'secret' } };
      const [jwk] = new SigningKeyRing([leaky], cipher).jwks.keys;
      expect(jwk).toEqual(rows.rsCur.publicJwk);
    });
  });

  describe('rows it cannot trust', () => {
    it('ignores a key of an algorithm it does not sign with', () => {
      const other = { ...rows.rsCur, alg: 'PS256', publicJwk: { ...rows.rsCur.publicJwk, alg: 'PS256' } };
      const mixed = new SigningKeyRing([other, rows.ecCur], cipher);
      expect(mixed.jwks.keys.map((k) => k.kid)).toEqual([rows.ecCur.kid]);
      expect(mixed.verificationKey(rows.rsCur.kid)).toBeUndefined();
    });

    it('refuses a row whose alg does not fit its key, instead of publishing or trusting it', () => {
      expect(() => new SigningKeyRing([{ ...rows.rsCur, alg: 'ES256' }], cipher)).toThrow(`signing key ${rows.rsCur.kid} is not a valid ES256 key`);
      expect(() => new SigningKeyRing([{ ...rows.ecCur, alg: 'RS256', publicJwk: { ...rows.ecCur.publicJwk, alg: 'RS256' } }], cipher)).toThrow(/not a valid RS256 key/);
    });

    it('cannot decrypt a private key under another kid', () => {
      expect(() => new SigningKeyRing([{ ...rows.ecCur, privateKeyCiphertext: rows.ecNext.privateKeyCiphertext }], cipher)).toThrow();
    });
  });
});
