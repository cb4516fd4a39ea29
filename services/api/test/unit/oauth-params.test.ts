import { describe, expect, it } from 'vitest';
import { OAuthParams } from '../../src/oauth/read-form.js';
import { parseScope } from '../../src/oauth/scopes.js';

describe('OAuthParams (RFC 6749 §3.1)', () => {
  it('rejects a repeated parameter', () => {
    expect(() => OAuthParams.from({ code: ['a', 'b'] })).toThrow(expect.objectContaining({ code: 'invalid_request', message: 'Parameter code must not be repeated.' }));
  });

  it('allows repeated resource (RFC 8707 §2)', () => {
    expect(OAuthParams.from({ resource: ['https://a', 'https://b'] }).all('resource')).toEqual(['https://a', 'https://b']);
  });

  it('treats empty values as absent', () => {
    const params = OAuthParams.from({ scope: '', state: 'x' });
    expect(params.get('scope')).toBeUndefined();
    expect(() => params.require('scope')).toThrow('Missing required parameter: scope.');
  });
});

describe('parseScope (RFC 6749 §3.3)', () => {
  it('splits on spaces and de-duplicates', () => expect(parseScope('openid  email openid')).toEqual(['openid', 'email']));
  it('rejects characters outside scope-token', () => expect(() => parseScope('a"b')).toThrow(expect.objectContaining({ code: 'invalid_request' })));
  it('is undefined when absent', () => expect(parseScope(undefined)).toBeUndefined());
});
