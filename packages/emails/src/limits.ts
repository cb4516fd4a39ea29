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
  /** A second factor's own name, such as a passkey's `Work laptop`; chosen by whoever added it. */
  factorName: 100,
  /** RFC 5321 §4.5.3.1.3 path limit. */
  newEmailHint: 254,
  genericSubject: 150,
  /** Generic bodies are refused, not cut, above this: a truncated message could change its meaning. */
  genericText: 20_000,
  /** Password-reset and verification links live minutes or hours; a week is already generous. */
  expiresInMinutes: 7 * 1_440,
  expiresInDays: 90,
  /** Unused recovery codes left: far above any sensible set (ten is usual), so more is a caller's bug. */
  recoveryCodes: 100,
} as const;
