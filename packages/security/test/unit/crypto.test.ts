import { describe, expect, it } from 'vitest';
import { constantTimeEqual, deriveKey, EnvelopeCipher, randomToken, SecretHasher } from '../../src/index.js';

const root = Buffer.alloc(32, 9);

describe('EnvelopeCipher (AES-256-GCM)', () => {
  const cipher = new EnvelopeCipher(deriveKey(root, 'signing-key-encryption'));

  it('round-trips and binds the ciphertext to its associated data', () => {
    const sealed = cipher.encrypt(Buffer.from('private key'), 'kid-1');
    expect(cipher.decrypt(sealed, 'kid-1').toString()).toBe('private key');
    expect(() => cipher.decrypt(sealed, 'kid-2')).toThrow();
  });

  it('detects tampering', () => {
    const sealed = cipher.encrypt(Buffer.from('private key'), 'kid-1');
    sealed[sealed.length - 1]! ^= 1;
    expect(() => cipher.decrypt(sealed, 'kid-1')).toThrow();
  });

  it('uses a fresh IV every time', () => {
    expect(cipher.encrypt(Buffer.from('x'), 'k').equals(cipher.encrypt(Buffer.from('x'), 'k'))).toBe(false);
  });
});

describe('key derivation', () => {
  it('derives independent keys per purpose', () => {
    expect(deriveKey(root, 'csrf').equals(deriveKey(root, 'client-secret-pepper'))).toBe(false);
    expect(deriveKey(root, 'csrf').equals(deriveKey(root, 'csrf'))).toBe(true);
  });
});

describe('SecretHasher', () => {
  const hasher = new SecretHasher(deriveKey(root, 'client-secret-pepper'));

  it('matches any of several hashes (rotation) and nothing else', () => {
    const hashes = [hasher.hash('old-secret'), hasher.hash('new-secret')];
    expect(hasher.matchesAny('old-secret', hashes)).toBe(true);
    expect(hasher.matchesAny('new-secret', hashes)).toBe(true);
    expect(hasher.matchesAny('other', hashes)).toBe(false);
    expect(hasher.matchesAny('old-secret', [])).toBe(false);
  });

  it('depends on the pepper', () => {
    const other = new SecretHasher(deriveKey(Buffer.alloc(32, 1), 'client-secret-pepper'));
    expect(other.hash('s').equals(hasher.hash('s'))).toBe(false);
  });
});

describe('randomToken and constantTimeEqual', () => {
  it('produces 256-bit base64url tokens', () => {
    const token = randomToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(randomToken()).not.toBe(token);
  });

  it('compares values of any length', () => {
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
    expect(constantTimeEqual('abc', 'abcd')).toBe(false);
    expect(constantTimeEqual(Buffer.from('x'), 'x')).toBe(true);
  });
});
