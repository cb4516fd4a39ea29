import { describe, expect, it } from 'vitest';
import type { IdentityProvider } from '@lanyard/db';
import { isUsableSubject, upstreamProfile } from '../../../../src/domain/federation/upstream-identity-service.js';

const provider = (claims: IdentityProvider['claims'] = {}) => ({ claims }) as IdentityProvider;

describe('isUsableSubject', () => {
  it('takes any printable text of 1–255 UTF-16 units', () => {
    for (const subject of ['248289761001', 'auth0|5f7c8ec7c33c6c004bbafe82', 'x'.repeat(255), 'Zürich \u202E é', '\u{1F511}'.repeat(127)]) expect(isUsableSubject(subject), subject).toBe(true);
  });

  it('refuses what cannot be stored as given or compared safely', () => {
    const refused: unknown[] = ['', 'x'.repeat(256), '\u{1F511}'.repeat(128), 'a\u0000b', 'a\nb', 'a\u007Fb', 'a\u0085b', 'a\ud800b', '\udc00', 42, null, undefined, ['sub']];
    for (const subject of refused) expect(isUsableSubject(subject), JSON.stringify(subject)).toBe(false);
  });
});

describe('upstreamProfile', () => {
  it('reads the mapped subject, and only a verified address is verified (OIDC Core §5.1: the boolean true)', () => {
    expect(upstreamProfile(provider({ subject: 'oid' }), { oid: 'abc', email: 'Ann@Example.COM', email_verified: 'true' })).toEqual({ subject: 'abc', email: 'ann@example.com', emailVerified: false, name: undefined });
    expect(upstreamProfile(provider(), { sub: 'abc', email: 'ann@example.com', email_verified: true, name: 'Ann' })).toEqual({ subject: 'abc', email: 'ann@example.com', emailVerified: true, name: 'Ann' });
  });

  it('has no profile for a subject two different people could share once stored (lone surrogates become U+FFFD)', () => {
    expect(upstreamProfile(provider(), { sub: 'user\ud800' })).toBeUndefined();
    expect(upstreamProfile(provider(), { sub: 'user\ud801' })).toBeUndefined();
    expect(upstreamProfile(provider(), { sub: 'x'.repeat(256) })).toBeUndefined();
  });
});
