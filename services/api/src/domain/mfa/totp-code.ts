import { Secret, TOTP } from 'otpauth';

/**
 * RFC 6238 parameters every authenticator app understands: HMAC-SHA-1, 6 digits, 30 s steps.
 * (SHA-256 is allowed by the RFC but Google Authenticator and others silently ignore it.)
 */
const PERIOD_SECONDS = 30;
const DIGITS = 6;
/** RFC 6238 §5.2: accept one step either side, for clock drift and the time it takes to type. */
const WINDOW_STEPS = 1;
/** RFC 4226 §4 asks for at least 128 bits of shared secret and recommends 160. */
const SECRET_BYTES = 20;

export type TotpCheck = { readonly ok: true; readonly step: number } | { readonly ok: false; readonly reason: 'invalid' | 'replayed' };

/** A new random shared secret. */
export function newTotpSecret(): Buffer {
  return Buffer.from(new Secret({ size: SECRET_BYTES }).buffer);
}

/** The secret as authenticator apps take it typed in (RFC 4648 base32, in groups of four). */
export function totpSecretText(secret: Buffer): string {
  return Secret.fromHex(secret.toString('hex')).base32.replace(/(.{4})/g, '$1 ').trim();
}

/** The `otpauth://totp/…` URI a QR code carries (the Key Uri Format of Google Authenticator). */
export function totpUri(secret: Buffer, issuerName: string, accountName: string): string {
  return totp(secret, issuerName, accountName).toString();
}

/**
 * Checks a code typed by the user at `now`. Rules:
 * - only 6 digits count (spaces, which apps show in the middle, are ignored);
 * - the code of the current step or one either side is accepted ({@link WINDOW_STEPS});
 * - a code of a step at or before `lastUsedStep` is `replayed` (RFC 6238 §5.2), even when it is
 *   otherwise right, so an observed code cannot be used again within its window.
 */
export function checkTotpCode(secret: Buffer, code: string, now: Date, lastUsedStep: number | null): TotpCheck {
  const digits = code.replace(/\s/g, '');
  if (!/^[0-9]{6}$/.test(digits)) return { ok: false, reason: 'invalid' };
  const delta = totp(secret).validate({ token: digits, timestamp: now.getTime(), window: WINDOW_STEPS });
  if (delta === null) return { ok: false, reason: 'invalid' };
  const step = Math.floor(now.getTime() / 1000 / PERIOD_SECONDS) + delta;
  if (lastUsedStep !== null && step <= lastUsedStep) return { ok: false, reason: 'replayed' };
  return { ok: true, step };
}

/** The code of the step containing `at` (tests and the enrolment page's own checks). */
export function totpCodeAt(secret: Buffer, at: Date): string {
  return totp(secret).generate({ timestamp: at.getTime() });
}

function totp(secret: Buffer, issuer = 'Lanyard', label = 'account'): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: DIGITS, period: PERIOD_SECONDS, secret: Secret.fromHex(secret.toString('hex')) });
}
