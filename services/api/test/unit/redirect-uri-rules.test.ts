import { describe, expect, it } from 'vitest';
import { originProblem, redirectUriProblem } from '../../src/domain/clients/redirect-uri-rules.js';
import { matchRedirectUri } from '../../src/oauth/authorize/match-redirect-uri.js';

describe('redirectUriProblem (RFC 9700 §2.1, RFC 8252 §7)', () => {
  it.each(['https://app.example/cb', 'https://app.example:8443/cb?x=1', 'http://127.0.0.1/cb', 'http://[::1]:8080/cb', 'http://localhost:3000/cb', 'com.example.app:/oauth2redirect'])(
    'accepts %s',
    (uri) => expect(redirectUriProblem(uri)).toBeUndefined(),
  );

  it.each([
    ['/cb', 'must be an absolute URI'],
    ['https://app.example/cb#frag', 'must not contain a fragment (RFC 6749 §3.1.2)'],
    ['https://user:pw@app.example/cb', 'must not contain user information'],
    ['http://app.example/cb', 'http is allowed only for loopback hosts; use https'],
    ['javascript:alert(1)', 'must use https, loopback http, or a reverse-domain private-use scheme'],
    ['myapp:/cb', 'must use https, loopback http, or a reverse-domain private-use scheme'],
    ['http://127.0.0.1:99999/cb', 'port must be 1-65535 without leading zeros'],
    ['http://127.0.0.1:65536/cb', 'port must be 1-65535 without leading zeros'],
    ['http://[::1]:0/cb', 'port must be 1-65535 without leading zeros'],
    ['https://app.example:08443/cb', 'port must be 1-65535 without leading zeros'],
  ])('rejects %s', (uri, reason) => expect(redirectUriProblem(uri)).toBe(reason));
});

describe('originProblem', () => {
  it('accepts a bare origin', () => expect(originProblem('https://app.example')).toBeUndefined());
  it.each(['https://app.example/', 'https://app.example/path', 'http://app.example', 'null', 'app.example'])('rejects %s', (origin) =>
    expect(originProblem(origin)).toBeDefined(),
  );
});

describe('matchRedirectUri (RFC 9700 §4.1.3 exact matching, RFC 8252 §7.3 loopback ports)', () => {
  const native = { type: 'public' as const, allowedCorsOrigins: [], redirectUris: ['http://127.0.0.1/cb', 'http://[::1]/cb', 'https://app.example/cb'] };
  const browser = { ...native, allowedCorsOrigins: ['https://app.example'] };
  const confidential = { ...native, type: 'confidential' as const };

  it('matches registered URIs character for character', () => {
    expect(matchRedirectUri('https://app.example/cb', browser)).toBe(true);
    for (const near of ['https://app.example/cb/', 'https://APP.example/cb', 'https://app.example/cb?x=1', 'https://app.example:443/cb']) {
      expect(matchRedirectUri(near, browser)).toBe(false);
    }
  });

  it.each(['http://127.0.0.1:51234/cb', 'http://127.0.0.1:1/cb', 'http://127.0.0.1:65535/cb', 'http://[::1]:8080/cb'])('lets a native app use any bindable loopback port: %s', (uri) => {
    expect(matchRedirectUri(uri, native)).toBe(true);
  });

  it.each(['http://127.0.0.1:65536/cb', 'http://127.0.0.1:99999/cb', 'http://127.0.0.1:0/cb', 'http://127.0.0.1:08080/cb', 'http://127.0.0.1:8080/other'])(
    'refuses %s even for a native app',
    (uri) => expect(matchRedirectUri(uri, native)).toBe(false),
  );

  it('never varies the port for a browser app (it has CORS origins) or a confidential client', () => {
    expect(matchRedirectUri('http://127.0.0.1:51234/cb', browser)).toBe(false);
    expect(matchRedirectUri('http://127.0.0.1:51234/cb', confidential)).toBe(false);
    expect(matchRedirectUri('http://127.0.0.1/cb', browser)).toBe(true);
  });
});
