/**
 * Longest value of each free-text parameter, in code points. Longer values are cut with `…` (see
 * `oneLine`); they are far above anything legitimate and keep a subject on one screen.
 */
export const LIMITS = {
  tenantDisplayName: 100,
  /** A browser description such as `Firefox 128 on Linux`, derived from a User-Agent header. */
  browser: 100,
  /** An IPv6 /64 such as `2001:db8:1234:5678::/64` is 23 characters. */
  network: 64,
  invitedBy: 100,
  /** RFC 5321 §4.5.3.1.3 path limit. */
  newEmailHint: 254,
  genericSubject: 150,
  /** Generic bodies are refused, not cut, above this: a truncated message could change its meaning. */
  genericText: 20_000,
  /** Password-reset and verification links live minutes or hours; a week is already generous. */
  expiresInMinutes: 7 * 1_440,
  expiresInDays: 90,
} as const;
