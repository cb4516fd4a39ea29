import { describe, expect, it } from 'vitest';
import { timeOrderedUuid } from '../../../src/domain/time-ordered-uuid.js';
import { isUuid } from '../../../src/domain/uuid.js';

describe('timeOrderedUuid: UUID version 7 (RFC 9562 §5.7)', () => {
  it('carries the millisecond time in its first 48 bits, version 7 and the RFC variant', () => {
    const at = Date.UTC(2026, 11, 4, 21, 10, 0, 123);
    const id = timeOrderedUuid(at);
    expect(isUuid(id)).toBe(true);
    expect(Number.parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]!);
  });

  it('sorts by time across milliseconds, as text and as PostgreSQL compares uuids (bytewise)', () => {
    const start = Date.UTC(2026, 0, 1);
    const ids = Array.from({ length: 2_000 }, (_, i) => timeOrderedUuid(start + i * 7));
    expect([...ids].sort()).toEqual(ids);
  });

  it('is unique: 100,000 ids of one millisecond never repeat (74 random bits each)', () => {
    const ids = new Set(Array.from({ length: 100_000 }, () => timeOrderedUuid(1_700_000_000_000)));
    expect(ids.size).toBe(100_000);
  });

  it('refuses a time it cannot encode', () => {
    for (const bad of [-1, 2 ** 48, Number.NaN, 1.5, Number.POSITIVE_INFINITY]) expect(() => timeOrderedUuid(bad)).toThrow(RangeError);
  });
});
