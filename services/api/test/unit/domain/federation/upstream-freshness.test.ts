import { describe, expect, it } from 'vitest';
import { freshnessDemand, upstreamAuthTime } from '../../../../src/domain/federation/upstream-freshness.js';

const NOW = Date.parse('2026-12-04T12:00:00Z');
const STARTED = NOW - 90_000;
const seconds = (ms: number) => ms / 1000;

describe('freshnessDemand', () => {
  it('passes an app’s prompt=login and max_age on, and gives the account page its own window', () => {
    expect(freshnessDemand({ prompt: [], maxAge: null }, 600)).toEqual({});
    expect(freshnessDemand({ prompt: ['login', 'consent'], maxAge: 0 }, 600)).toEqual({ prompt: 'login', maxAge: 0 });
    expect(freshnessDemand({ prompt: ['consent'], maxAge: 3600 }, 600)).toEqual({ maxAge: 3600 });
    expect(freshnessDemand(undefined, 600)).toEqual({ maxAge: 600 });
  });
});

describe('upstreamAuthTime', () => {
  it('is the upstream’s auth_time, never later than now; without one (or a non-number) it is now', () => {
    expect(upstreamAuthTime(seconds(NOW - 7_200_000), {}, STARTED, NOW)).toEqual(new Date(NOW - 7_200_000));
    expect(upstreamAuthTime(seconds(NOW + 3_600_000), {}, STARTED, NOW)).toEqual(new Date(NOW));
    for (const claim of [undefined, null, '1733313600', Number.NaN, Number.POSITIVE_INFINITY]) expect(upstreamAuthTime(claim, { maxAge: 60 }, STARTED, NOW)).toEqual(new Date(NOW));
  });

  it('refuses an authentication older than max_age asks, with a minute for clocks apart', () => {
    expect(upstreamAuthTime(seconds(NOW - 300_000), { maxAge: 300 }, STARTED, NOW)).toEqual(new Date(NOW - 300_000));
    expect(upstreamAuthTime(seconds(NOW - 359_000), { maxAge: 300 }, STARTED, NOW)).toBeDefined();
    expect(upstreamAuthTime(seconds(NOW - 361_000), { maxAge: 300 }, STARTED, NOW)).toBeUndefined();
  });

  it('takes any authentication after the browser was sent upstream: max_age=0 and prompt=login are met by it', () => {
    expect(upstreamAuthTime(seconds(STARTED + 30_000), { maxAge: 0 }, STARTED, NOW)).toEqual(new Date(STARTED + 30_000));
    expect(upstreamAuthTime(seconds(STARTED + 30_000), { prompt: 'login' }, STARTED, NOW)).toEqual(new Date(STARTED + 30_000));
    // prompt=login: anything from before the redirect is the old session, whatever max_age says.
    expect(upstreamAuthTime(seconds(STARTED - 61_000), { prompt: 'login', maxAge: 3600 }, STARTED, NOW)).toBeUndefined();
    expect(upstreamAuthTime(seconds(STARTED - 61_000), { maxAge: 0 }, STARTED, NOW)).toBeUndefined();
  });
});
