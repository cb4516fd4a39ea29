import { randomInt } from 'node:crypto';

/** Codes per set (what users of GitHub, Google and Keycloak expect). */
export const RECOVERY_CODES_PER_SET = 10;

/**
 * Crockford-style base32 without I, L, O and U: nothing a reader can confuse, nothing that spells a
 * word. 10 characters are 50 bits; with single use, a per-account lockout and a peppered hash, that
 * is far out of reach of online guessing.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LENGTH = 10;

/** One new code, shown as `XXXXX-XXXXX`. */
export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * What a typed code is compared as: case, spaces and dashes do not matter, and the letters a reader
 * may confuse map to their digit (O→0, I/L→1). Anything else, or the wrong length, is undefined.
 */
export function normalizeRecoveryCode(typed: string): string | undefined {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (compact.length !== LENGTH) return undefined;
  for (const c of compact) if (!ALPHABET.includes(c)) return undefined;
  return compact;
}
