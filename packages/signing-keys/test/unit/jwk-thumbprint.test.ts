import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { jwkThumbprint, type ThumbprintMembers } from '../../src/jwk-thumbprint.js';

/** RFC 7638 §3.1: the example RSA key (from RFC 7517 Appendix A.1) and its SHA-256 thumbprint. */
const RFC7638_RSA = {
  kty: 'RSA',
  n:
    '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn6' +
    '4tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n9' +
    '1CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
} as const;

/** RFC 7517 Appendix A.1: the example P-256 public key. */
const RFC7517_EC = { kty: 'EC', crv: 'P-256', x: 'MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4', y: '4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM' } as const;

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

describe('jwkThumbprint (RFC 7638)', () => {
  it('matches the RSA test vector of §3.1', () => {
    expect(jwkThumbprint(RFC7638_RSA)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
  });

  it('hashes only the required RSA members, in the order e, kty, n', () => {
    expect(jwkThumbprint(RFC7638_RSA)).toBe(sha256(`{"e":"AQAB","kty":"RSA","n":"${RFC7638_RSA.n}"}`));
  });

  it('ignores optional members such as alg, kid and use (§3.2.1)', () => {
    const published = { ...RFC7638_RSA, alg: 'RS256', kid: '2011-04-29', use: 'sig' } as ThumbprintMembers;
    expect(jwkThumbprint(published)).toBe('NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs');
    expect(jwkThumbprint({ ...RFC7517_EC, kid: '1' } as ThumbprintMembers)).toBe(jwkThumbprint(RFC7517_EC));
  });

  it('hashes the EC members in the order crv, kty, x, y', () => {
    expect(jwkThumbprint(RFC7517_EC)).toBe(sha256(`{"crv":"P-256","kty":"EC","x":"${RFC7517_EC.x}","y":"${RFC7517_EC.y}"}`));
  });

  it('refuses a key type it has no rule for', () => {
    expect(() => jwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: 'AA' } as unknown as ThumbprintMembers)).toThrow(TypeError);
  });
});
