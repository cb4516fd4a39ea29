import { describe, expect, it } from 'vitest';
import { isEmptyPlan, planTenantKeyRotation, type AlgKeyState } from '../../src/plan-tenant-key-rotation.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const policy = { rotationPeriodSeconds: 30 * 86_400, publishAheadSeconds: 3_600, maxTokenLifetimeSeconds: 86_700 };
const t0 = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const key = (kid: string, alg: string, activatesAt: Date, extra: Partial<AlgKeyState> = {}): AlgKeyState => ({
  kid,
  alg,
  createdAt: activatesAt,
  activatesAt,
  retiredAt: null,
  expiresAt: null,
  ...extra,
});
const nothing = { create: null, retire: [], remove: [] };

describe('planTenantKeyRotation', () => {
  it('gives a tenant with no keys one key per algorithm, each signing at once', () => {
    expect(planTenantKeyRotation([], t0, policy)).toEqual({
      ES256: { create: { activatesAt: t0 }, retire: [], remove: [] },
      RS256: { create: { activatesAt: t0 }, retire: [], remove: [] },
    });
  });

  it('adds an RS256 key signing at once to a tenant that only has ES256 keys, leaving those alone', () => {
    const plans = planTenantKeyRotation([key('ec-1', 'ES256', t0)], at(10 * DAY), policy);
    expect(plans.ES256).toEqual(nothing);
    expect(plans.RS256).toEqual({ create: { activatesAt: at(10 * DAY) }, retire: [], remove: [] });
  });

  it('schedules each algorithm from its own key: a due ES256 successor does not rotate a younger RS256 key', () => {
    const keys = [key('ec-1', 'ES256', t0), key('rs-1', 'RS256', at(10 * DAY))];
    const ecDue = planTenantKeyRotation(keys, at(30 * DAY - HOUR), policy);
    expect(ecDue.ES256.create).toEqual({ activatesAt: at(30 * DAY) });
    expect(ecDue.RS256).toEqual(nothing);

    const rsDue = planTenantKeyRotation([...keys, key('ec-2', 'ES256', at(30 * DAY))], at(40 * DAY - HOUR), policy);
    expect(rsDue.RS256.create).toEqual({ activatesAt: at(40 * DAY) });
    expect(rsDue.ES256).toEqual({ create: null, retire: [{ kid: 'ec-1', retiredAt: at(30 * DAY), expiresAt: new Date(at(30 * DAY).getTime() + 86_700_000) }], remove: [] });
  });

  it('never retires a key because a key of another algorithm activated after it', () => {
    // rs-1 is newer than ec-1 and signs, but it is not ec-1's successor.
    const plans = planTenantKeyRotation([key('ec-1', 'ES256', t0), key('rs-1', 'RS256', at(DAY))], at(2 * DAY), policy);
    expect(plans.ES256).toEqual(nothing);
    expect(plans.RS256).toEqual(nothing);
  });

  it('does not count a pending key of one algorithm as the successor of the other', () => {
    const plans = planTenantKeyRotation([key('ec-1', 'ES256', t0), key('rs-1', 'RS256', t0), key('rs-2', 'RS256', at(30 * DAY))], at(30 * DAY - HOUR), policy);
    expect(plans.ES256.create).toEqual({ activatesAt: at(30 * DAY) });
    expect(plans.RS256).toEqual(nothing);
  });

  it('removes expired keys of each algorithm independently', () => {
    const expired = { retiredAt: at(30 * DAY), expiresAt: at(31 * DAY) };
    const keys = [key('ec-1', 'ES256', t0, expired), key('ec-2', 'ES256', at(30 * DAY)), key('rs-1', 'RS256', at(20 * DAY))];
    const plans = planTenantKeyRotation(keys, at(31 * DAY), policy);
    expect(plans.ES256.remove).toEqual(['ec-1']);
    expect(plans.RS256).toEqual(nothing);
  });

  it('leaves keys of an algorithm it does not sign with alone', () => {
    const plans = planTenantKeyRotation([key('ps', 'PS256', t0, { retiredAt: t0, expiresAt: at(DAY) }), key('ec-1', 'ES256', t0), key('rs-1', 'RS256', t0)], at(2 * DAY), policy);
    expect(Object.keys(plans)).toEqual(['ES256', 'RS256']);
    expect(plans.ES256).toEqual(nothing);
    expect(plans.RS256).toEqual(nothing);
  });
});

describe('isEmptyPlan', () => {
  it('is true only for a plan that changes nothing', () => {
    expect(isEmptyPlan(nothing)).toBe(true);
    expect(isEmptyPlan({ ...nothing, create: { activatesAt: t0 } })).toBe(false);
    expect(isEmptyPlan({ ...nothing, remove: ['a'] })).toBe(false);
    expect(isEmptyPlan({ ...nothing, retire: [{ kid: 'a', retiredAt: t0, expiresAt: t0 }] })).toBe(false);
  });
});
