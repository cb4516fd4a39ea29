import { describe, expect, it } from 'vitest';
import { testClock } from '@lanyard/testing';
import { checkTotpCode, newTotpSecret, totpCodeAt, totpSecretText, totpUri } from '../../../src/domain/mfa/totp-code.js';

// RFC 6238 Appendix B: the SHA-1 test key and two of its vectors (8 digits there; ours are the last 6).
const RFC_KEY = Buffer.from('12345678901234567890', 'ascii');
const STEP_MS = 30_000;

describe('TOTP codes (RFC 6238)', () => {
  it('matches the RFC 6238 test vectors', () => {
    expect(totpCodeAt(RFC_KEY, new Date(59_000))).toBe('287082');
    expect(totpCodeAt(RFC_KEY, new Date(1_111_111_109_000))).toBe('081804');
    expect(totpCodeAt(RFC_KEY, new Date(2_000_000_000_000))).toBe('279037');
  });

  it('accepts the current step and one either side, with the step it matched; refuses two away', () => {
    const time = testClock({ frozenAt: new Date('2026-12-02T10:00:10Z') });
    const now = time.clock();
    const step = Math.floor(now.getTime() / STEP_MS);
    expect(checkTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, now), now, null)).toEqual({ ok: true, step });
    expect(checkTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, new Date(now.getTime() - STEP_MS)), now, null)).toEqual({ ok: true, step: step - 1 });
    expect(checkTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, new Date(now.getTime() + STEP_MS)), now, null)).toEqual({ ok: true, step: step + 1 });
    expect(checkTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, new Date(now.getTime() - 2 * STEP_MS)), now, null)).toEqual({ ok: false, reason: 'invalid' });
    expect(checkTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, new Date(now.getTime() + 2 * STEP_MS)), now, null)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('a code goes stale as the clock moves on', () => {
    const time = testClock({ frozenAt: new Date('2026-12-02T10:00:00Z') });
    const code = totpCodeAt(RFC_KEY, time.clock());
    time.advance(STEP_MS);
    expect(checkTotpCode(RFC_KEY, code, time.clock(), null).ok).toBe(true);
    time.advance(STEP_MS);
    expect(checkTotpCode(RFC_KEY, code, time.clock(), null)).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a code of the last used step, or an earlier one, as replayed (RFC 6238 §5.2)', () => {
    const time = testClock({ frozenAt: new Date('2026-12-02T10:00:00Z') });
    const now = time.clock();
    const code = totpCodeAt(RFC_KEY, now);
    const first = checkTotpCode(RFC_KEY, code, now, null);
    expect(first.ok).toBe(true);
    const step = (first as { step: number }).step;
    expect(checkTotpCode(RFC_KEY, code, now, step)).toEqual({ ok: false, reason: 'replayed' });
    // The previous step's code is still in the window, but older than what was used: replayed too.
    expect(checkTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, new Date(now.getTime() - STEP_MS)), now, step)).toEqual({ ok: false, reason: 'replayed' });
    // The next step's code is new.
    expect(checkTotpCode(RFC_KEY, totpCodeAt(RFC_KEY, new Date(now.getTime() + STEP_MS)), now, step)).toEqual({ ok: true, step: step + 1 });
  });

  it('takes only six digits (spaces ignored); anything else is invalid without computing', () => {
    const now = new Date('2026-12-02T10:00:00Z');
    const code = totpCodeAt(RFC_KEY, now);
    expect(checkTotpCode(RFC_KEY, `${code.slice(0, 3)} ${code.slice(3)}`, now, null).ok).toBe(true);
    for (const bad of ['', '12345', '1234567', 'abcdef', `${code}\u0000`, '１２３４５６', '1'.repeat(65_536), `${code.slice(0, 5)}\u0663`]) {
      expect(checkTotpCode(RFC_KEY, bad, now, null)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('makes 160-bit secrets, shown as grouped base32 and in an otpauth URI', () => {
    const secret = newTotpSecret();
    expect(secret).toHaveLength(20);
    expect(newTotpSecret().equals(secret)).toBe(false);
    const text = totpSecretText(secret);
    expect(text).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    const uri = new URL(totpUri(secret, 'Acme Corp', 'alice@acme.example'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(text.replace(/ /g, ''));
    expect(uri.searchParams.get('issuer')).toBe('Acme Corp');
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
  });
});
