import { describe, expect, it } from 'vitest';
import { rotationDue } from '../../src/generators/rotation-schedule.js';
import { secretsToMakeRoom, staleSecrets } from '../../src/generators/stale-secrets.js';

const at = (iso: string) => new Date(iso);
const info = (id: string, createdAt: string, expiresAt: string | null = null) => ({ id, createdAt, expiresAt });

describe('rotationDue', () => {
  const base = { createdAt: at('2026-01-01T00:00:00Z'), periodDays: 30, specGeneration: 0, storedGeneration: 0 };
  it('is due once the period has passed, and says when otherwise', () => {
    expect(rotationDue({ ...base, now: at('2026-01-31T00:00:00Z') })).toEqual({ due: true });
    expect(rotationDue({ ...base, now: at('2026-01-15T00:00:00Z') })).toEqual({ due: false, nextAt: at('2026-01-31T00:00:00Z') });
  });
  it('is due at once when rotation.generation changed, whatever the period', () => {
    expect(rotationDue({ ...base, specGeneration: 1, now: at('2026-01-02T00:00:00Z') })).toEqual({ due: true });
    expect(rotationDue({ ...base, periodDays: 0, specGeneration: 3, storedGeneration: 2, now: at('2026-01-02T00:00:00Z') })).toEqual({ due: true });
  });
  it('never rotates periodically with period 0', () => {
    expect(rotationDue({ ...base, periodDays: 0, now: at('2030-01-01T00:00:00Z') })).toEqual({ due: false });
  });
});

describe('staleSecrets', () => {
  const registered = [info('old', '2026-01-01T00:00:00Z'), info('new', '2026-02-01T00:00:00Z')];
  it('keeps the superseded secret during the grace period after the current one was registered', () => {
    expect(staleSecrets(registered, 'new', 3600, at('2026-02-01T00:30:00Z'))).toEqual({ remove: [], nextAt: at('2026-02-01T01:00:00Z') });
  });
  it('removes every other secret once the grace period is over', () => {
    expect(staleSecrets(registered, 'new', 3600, at('2026-02-01T01:00:00Z'))).toEqual({ remove: ['old'] });
    expect(staleSecrets([...registered, info('by-hand', '2026-01-15T00:00:00Z')], 'new', 0, at('2026-02-01T00:00:00Z')).remove.sort()).toEqual(['by-hand', 'old']);
  });
  it('removes nothing when the current secret is not registered (it is registered first)', () => {
    expect(staleSecrets(registered, 'unknown', 0, at('2027-01-01T00:00:00Z'))).toEqual({ remove: [] });
  });
});

describe('secretsToMakeRoom (at most two active secrets)', () => {
  const now = at('2026-03-01T00:00:00Z');
  it('removes nothing while there is room', () => {
    expect(secretsToMakeRoom([info('a', '2026-01-01T00:00:00Z')], ['a'], now)).toEqual([]);
  });
  it('removes the oldest secret that is not kept', () => {
    expect(secretsToMakeRoom([info('a', '2026-01-01T00:00:00Z'), info('b', '2026-02-01T00:00:00Z')], ['a'], now)).toEqual(['b']);
    expect(secretsToMakeRoom([info('b', '2026-02-01T00:00:00Z'), info('a', '2026-01-01T00:00:00Z')], [], now)).toEqual(['a']);
  });
  it('does not count expired secrets', () => {
    expect(secretsToMakeRoom([info('a', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'), info('b', '2026-02-01T00:00:00Z')], ['b'], now)).toEqual([]);
  });
});
