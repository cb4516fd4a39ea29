import { describe, expect, it } from 'vitest';
import type { WebauthnCredential } from '@lanyard/db';
import { passkeyAmr, passkeySignInAmr, relyingPartyOf } from '../../../src/domain/mfa/passkey-service.js';

const credential = (deviceType: 'singleDevice' | 'multiDevice') => ({ deviceType }) as WebauthnCredential;

describe('passkeys: relying party and amr (RFC 8176)', () => {
  it('the RP ID is PUBLIC_URL’s host and the origin its origin, whatever its path', () => {
    expect(relyingPartyOf('https://id.example.com/base')).toEqual({ id: 'id.example.com', origin: 'https://id.example.com' });
    expect(relyingPartyOf('http://localhost:8000')).toEqual({ id: 'localhost', origin: 'http://localhost:8000' });
  });

  it('a device-bound key is hwk, a synced one swk', () => {
    expect(passkeyAmr(credential('singleDevice'))).toBe('hwk');
    expect(passkeyAmr(credential('multiDevice'))).toBe('swk');
  });

  it('passwordless with user verification is two factors; without, one; after a password, the second', () => {
    expect(passkeySignInAmr(credential('multiDevice'), true)).toEqual(['swk', 'user', 'mfa']);
    expect(passkeySignInAmr(credential('singleDevice'), false)).toEqual(['hwk']);
    expect(passkeySignInAmr(credential('singleDevice'), false, ['pwd'])).toEqual(['pwd', 'hwk', 'mfa']);
  });
});
