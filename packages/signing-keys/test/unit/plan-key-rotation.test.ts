import { describe, expect, it } from 'vitest';
import { planKeyRotation, type KeyState } from '../../src/plan-key-rotation.js';

const DAY = 86_400_000;
const policy = { rotationPeriodSeconds: 30 * 86_400, publishAheadSeconds: 3_600, maxTokenLifetimeSeconds: 86_700 };
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const key = (kid: string, activatesAt: Date, extra: Partial<KeyState> = {}): KeyState => ({
  kid,
  createdAt: activatesAt,
  activatesAt,
  retiredAt: null,
  expiresAt: null,
  ...extra,
});

describe('planKeyRotation', () => {
  it('creates a key that signs at once for a tenant with none', () => {
    expect(planKeyRotation([], t0, policy)).toEqual({ create: { activatesAt: t0 }, retire: [], remove: [] });
  });

  it('does nothing while the current key is young', () => {
    expect(planKeyRotation([key('a', t0)], at(10 * DAY), policy)).toEqual({ create: null, retire: [], remove: [] });
  });

  it('publishes the successor ahead of its activation when rotation is due', () => {
    const now = at(30 * DAY - 3_600_000);
    const plan = planKeyRotation([key('a', t0)], now, policy);
    expect(plan.create).toEqual({ activatesAt: at(30 * DAY) });
    expect(plan.retire).toEqual([]);
  });

  it('never activates a successor sooner than publish-ahead from now, even when overdue', () => {
    const now = at(45 * DAY);
    expect(planKeyRotation([key('a', t0)], now, policy).create).toEqual({ activatesAt: new Date(now.getTime() + 3_600_000) });
  });

  it('does not create a second successor while one is pending', () => {
    const plan = planKeyRotation([key('a', t0), key('b', at(30 * DAY))], at(29.99 * DAY), policy);
    expect(plan.create).toBeNull();
  });

  it('retires the old key when its successor activates, keeping it published for the longest token lifetime', () => {
    const plan = planKeyRotation([key('a', t0), key('b', at(30 * DAY))], at(30 * DAY + 1), policy);
    expect(plan.retire).toEqual([{ kid: 'a', retiredAt: at(30 * DAY), expiresAt: new Date(at(30 * DAY).getTime() + 86_700_000) }]);
    expect(plan.remove).toEqual([]);
  });

  it('removes keys past their expiry', () => {
    const retired = key('a', t0, { retiredAt: at(30 * DAY), expiresAt: at(31 * DAY) });
    const plan = planKeyRotation([retired, key('b', at(30 * DAY))], at(31 * DAY), policy);
    expect(plan.remove).toEqual(['a']);
  });
});
