import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/queue/backoff-delay.js';

const policy = { baseMs: 100, maxMs: 5_000 };

describe('backoffDelay (per-item exponential backoff with equal jitter)', () => {
  it('doubles per consecutive failure, within [half, full] of base·2^(n-1)', () => {
    for (let failures = 1; failures <= 6; failures++) {
      const full = 100 * 2 ** (failures - 1);
      expect(backoffDelay(failures, policy, () => 0)).toBe(full / 2);
      expect(backoffDelay(failures, policy, () => 0.999_999)).toBeCloseTo(full, -1);
    }
  });

  it('is capped at the maximum, jitter included', () => {
    expect(backoffDelay(30, policy, () => 0.999_999)).toBeLessThanOrEqual(5_000);
    expect(backoffDelay(1_000, policy, () => 0)).toBe(2_500);
  });

  it('never shrinks from one failure to the next below the cap, whatever the jitter', () => {
    for (let failures = 1; failures < 6; failures++) {
      expect(backoffDelay(failures + 1, policy, () => 0)).toBeGreaterThanOrEqual(backoffDelay(failures, policy, () => 0.999_999) - 1);
    }
  });

  it('spreads retries of many items failing together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4, policy)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
