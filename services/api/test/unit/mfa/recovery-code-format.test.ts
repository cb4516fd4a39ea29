import { describe, expect, it } from 'vitest';
import { newRecoveryCode, normalizeRecoveryCode } from '../../../src/domain/mfa/recovery-code-format.js';
import { ACR_MFA, ACR_PASSWORD, achievedAcr, requestsMfa } from '../../../src/domain/tokens/authentication-context.js';

describe('recovery codes', () => {
  it('are ten unambiguous base32 characters in two groups, and differ', () => {
    const codes = Array.from({ length: 200 }, newRecoveryCode);
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(new Set(codes).size).toBe(200);
  });

  it('compare without regard to case, spaces, dashes or the letters a reader confuses with digits', () => {
    expect(normalizeRecoveryCode('ab1cd-ef2gh')).toBe('AB1CDEF2GH');
    expect(normalizeRecoveryCode(' AB1CD EF2GH ')).toBe('AB1CDEF2GH');
    expect(normalizeRecoveryCode('Oo1Il-EF2GH')).toBe('00111EF2GH');
  });

  it('refuse the wrong length and characters outside the alphabet, including hostile input', () => {
    for (const bad of ['', 'AB1CD-EF2G', 'AB1CD-EF2GHJ', 'AB1CD-EF2GU', 'AB1CD\u0000EF2GH', 'ÀB1CD-EF2GH', 'A'.repeat(65_536)]) expect(normalizeRecoveryCode(bad)).toBeUndefined();
  });
});

describe('authentication context classes', () => {
  it('a sign-in with a second factor achieves mfa; a password alone, pwd', () => {
    expect(achievedAcr(['pwd'])).toBe(ACR_PASSWORD);
    expect(achievedAcr(['pwd', 'otp', 'mfa'])).toBe(ACR_MFA);
  });

  it('a request asks for mfa when the first class it names that we support is mfa, or an essential acr only mfa meets', () => {
    expect(requestsMfa([ACR_MFA], null)).toBe(true);
    expect(requestsMfa(['urn:other', ACR_MFA], null)).toBe(true);
    expect(requestsMfa([ACR_PASSWORD, ACR_MFA], null)).toBe(false);
    expect(requestsMfa([], null)).toBe(false);
    expect(requestsMfa([], { id_token: { acr: { essential: true, values: [ACR_MFA] } } })).toBe(true);
    expect(requestsMfa([], { id_token: { acr: { essential: true, values: [ACR_MFA, ACR_PASSWORD] } } })).toBe(false);
    expect(requestsMfa([], { id_token: { acr: { values: [ACR_MFA] } } })).toBe(false);
  });
});
