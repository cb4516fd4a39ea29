import { describe, expect, it } from 'vitest';
import { isUuid } from '../../../src/domain/uuid.js';

describe('isUuid: the ids a request may name a row by', () => {
  it('accepts the textual form in either case, as PostgreSQL reads it', () => {
    expect(isUuid('0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d10')).toBe(true);
    expect(isUuid('0B6C2F0E-3C1A-4E8B-9F1D-2A7C5E9B4D10')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });

  it('refuses every other spelling PostgreSQL might also cast, and hostile strings', () => {
    for (const value of [
      '',
      '{0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d10}',
      'urn:uuid:0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d10',
      '0b6c2f0e3c1a4e8b9f1d2a7c5e9b4d10',
      '0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d1',
      '0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d100',
      '0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d10\n',
      '0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d10\u0000',
      ' 0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d10',
      '0b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d1g',
      '０b6c2f0e-3c1a-4e8b-9f1d-2a7c5e9b4d10',
      'x'.repeat(65_536),
    ]) {
      expect(isUuid(value), JSON.stringify(value.slice(0, 60))).toBe(false);
    }
  });
});
