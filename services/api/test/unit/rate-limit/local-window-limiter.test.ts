import { describe, expect, it } from 'vitest';
import { testClock } from '@lanyard/testing';
import { LocalWindowLimiter } from '../../../src/domain/rate-limit/local-window-limiter.js';

const policy = { name: 'token', limit: 10, windowSeconds: 60 };
// A window boundary, so "the previous window" is well defined in each test.
const start = new Date(Math.ceil(Date.parse('2026-01-01T00:00:00Z') / 60_000) * 60_000);

describe('LocalWindowLimiter (the fallback while Redis is unreachable)', () => {
  it('enforces limit / replicas in this process, with Retry-After and remaining counts', () => {
    const limiter = new LocalWindowLimiter(2, testClock({ frozenAt: start }).clock);
    const decisions = Array.from({ length: 6 }, () => limiter.decide({ policy, subject: 'c', cost: 1 }));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((d) => d.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions.every((d) => d.degraded)).toBe(true);
    expect(decisions[5]!.retryAfterSeconds).toBe(60);
  });

  it('slides: the previous window still counts, weighted by its overlap', () => {
    const time = testClock({ frozenAt: start });
    const limiter = new LocalWindowLimiter(1, time.clock);
    for (let i = 0; i < 10; i += 1) expect(limiter.decide({ policy, subject: 'c', cost: 1 }).allowed).toBe(true);
    time.advance(60_000); // next window: the previous ten still weigh 100 %
    expect(limiter.decide({ policy, subject: 'c', cost: 1 }).allowed).toBe(false);
    time.advance(30_000); // half-way: they weigh 5
    const allowed = Array.from({ length: 6 }, () => limiter.decide({ policy, subject: 'c', cost: 1 }).allowed);
    expect(allowed).toEqual([true, true, true, true, true, false]);
    time.advance(90_000); // two windows later: forgotten
    expect(limiter.decide({ policy, subject: 'c', cost: 1 }).remaining).toBe(9);
  });

  it('looks without counting (cost 0) and gives a reservation back (cost -1)', () => {
    const limiter = new LocalWindowLimiter(1, testClock({ frozenAt: start }).clock);
    for (let i = 0; i < 9; i += 1) limiter.decide({ policy, subject: 'c', cost: 1 });
    expect(limiter.decide({ policy, subject: 'c', cost: 0 }).allowed).toBe(true);
    expect(limiter.decide({ policy, subject: 'c', cost: 1 }).allowed).toBe(true);
    expect(limiter.decide({ policy, subject: 'c', cost: 0 }).allowed).toBe(false);
    limiter.decide({ policy, subject: 'c', cost: -1 });
    expect(limiter.decide({ policy, subject: 'c', cost: 0 }).allowed).toBe(true);
  });

  it('keeps subjects apart and stays bounded', () => {
    const limiter = new LocalWindowLimiter(1, testClock({ frozenAt: start }).clock, 2);
    for (let i = 0; i < 10; i += 1) limiter.decide({ policy, subject: 'a', cost: 1 });
    expect(limiter.decide({ policy, subject: 'a', cost: 0 }).allowed).toBe(false);
    expect(limiter.decide({ policy, subject: 'b', cost: 1 }).allowed).toBe(true);
    limiter.decide({ policy, subject: 'c', cost: 1 }); // a third subject evicts the oldest (a)
    expect(limiter.decide({ policy, subject: 'a', cost: 0 }).allowed).toBe(true);
  });
});
