import { EmailParamError } from './email-param-error.js';

// C0 and C1 controls (NUL, CR, LF, TAB, ESC, DEL, …) and the Unicode line and paragraph separators:
// each would end a header line, break the text layout, or be invisible.
export const BREAKING = /[\p{Cc}\u2028\u2029]/gu;
// Bidirectional embeddings, overrides and isolates (Unicode TR 9): they can make a name or an
// address display reversed ("Trojan Source", CVE-2021-42574).
export const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/gu;

const clean = (value: string) => value.replace(BIDI_CONTROLS, '').replace(BREAKING, ' ').replace(/\s+/gu, ' ').trim();

/**
 * Makes a free-text value (a display name, a browser description) printable on one line: control
 * characters become spaces, bidi controls are dropped, runs of whitespace collapse, and anything
 * longer than `max` code points is cut with `…`.
 *
 * It neutralises rather than refuses because several of these values are chosen by whoever triggers
 * the message (a browser description comes from a User-Agent header): refusing would let them
 * suppress a security notice. Only a value that is not a string, or is empty once cleaned, is refused.
 */
export function oneLine(value: unknown, max: number, template: string, param: string): string {
  if (typeof value !== 'string') throw new EmailParamError(template, param, 'must be a string');
  const cleaned = clean(value);
  if (cleaned === '') throw new EmailParamError(template, param, 'must not be empty');
  // Code points, not UTF-16 units, so a cut never splits a surrogate pair.
  const chars = Array.from(cleaned);
  return chars.length <= max ? cleaned : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/**
 * `oneLine` for an optional value that whoever triggers the message chooses (a passkey's name):
 * absent, or blank once cleaned, it is `undefined` rather than refused, so a name made of spaces or
 * controls only cannot suppress a security notice. A value that is not a string is still refused.
 */
export function optionalLine(value: unknown, max: number, template: string, param: string): string | undefined {
  if (value === undefined || (typeof value === 'string' && clean(value) === '')) return undefined;
  return oneLine(value, max, template, param);
}
