import { describe, expect, it } from 'vitest';
import { isSigningAlg, SIGNING_ALGS } from '../../src/signing-algs.js';

describe('SIGNING_ALGS', () => {
  it('lists ES256 first, then RS256, and cannot be changed at run time', () => {
    expect(SIGNING_ALGS).toEqual(['ES256', 'RS256']);
    expect(Object.isFrozen(SIGNING_ALGS)).toBe(true);
  });

  it('recognises exactly those algorithms', () => {
    expect(SIGNING_ALGS.every(isSigningAlg)).toBe(true);
    for (const other of ['es256', 'PS256', 'HS256', 'none', '', undefined, null, 256]) expect(isSigningAlg(other)).toBe(false);
  });
});
