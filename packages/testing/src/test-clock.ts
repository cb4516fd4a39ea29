import type { Clock } from '@lanyard/clock';

/** A clock tests can move forward; see {@link testClock}. */
export interface TestClock {
  /** Pass this where the code under test takes a `Clock`. */
  readonly clock: Clock;
  /** Moves "now" forward by `ms` (never backwards: time that ran does not un-run). */
  advance(ms: number): void;
}

export interface TestClockOptions {
  /**
   * Stop wall-clock time: "now" moves only through `advance`. For unit tests of pure logic, where
   * a millisecond passing between two calls must not change the outcome.
   */
  readonly frozenAt?: Date;
}

/**
 * Wall-clock time plus an offset the test controls. Integration tests keep real time flowing
 * (PostgreSQL, Redis and HTTP timeouts still see it) and jump over waits — "let this secret
 * expire", "make auth_time move" — instead of sleeping through them.
 */
export function testClock(options: TestClockOptions = {}): TestClock {
  let offsetMs = 0;
  const frozen = options.frozenAt?.getTime();
  return {
    clock: () => new Date((frozen ?? Date.now()) + offsetMs),
    advance(ms: number) {
      if (!(ms >= 0)) throw new Error(`advance() takes a non-negative duration, got ${ms}`);
      offsetMs += ms;
    },
  };
}
