/**
 * Where "now" comes from. Protocol time (token `iat`/`exp`, code and session expiry, secret expiry,
 * rotation schedules) is always read from an injected clock, never from `Date.now()` at the call
 * site, so tests move time forward instead of sleeping and every component agrees on one "now".
 */
export type Clock = () => Date;

/** The wall clock: the only place production code reads the system time. */
export const systemClock: Clock = () => new Date();

/** Milliseconds since the epoch on `clock`, for arithmetic on the hot path. */
export const epochMs = (clock: Clock): number => clock().getTime();

/** Whole seconds since the epoch on `clock` (JWT NumericDate, RFC 7519 §2). */
export const epochSeconds = (clock: Clock): number => Math.floor(clock().getTime() / 1000);
