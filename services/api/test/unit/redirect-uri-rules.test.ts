import { describe, expect, it } from 'vitest';
import { originProblem, redirectUriProblem } from '../../src/domain/clients/redirect-uri-rules.js';

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
  ])('rejects %s', (uri, reason) => expect(redirectUriProblem(uri)).toBe(reason));
});

describe('originProblem', () => {
  it('accepts a bare origin', () => expect(originProblem('https://app.example')).toBeUndefined());
  it.each(['https://app.example/', 'https://app.example/path', 'http://app.example', 'null', 'app.example'])('rejects %s', (origin) =>
    expect(originProblem(origin)).toBeDefined(),
  );
});
