import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { authorizeUrl } from '../../support/oauth-helpers.js';

/**
 * Authorization endpoint errors (RFC 6749 §4.1.2.1, RFC 7636, RFC 9700 §4.1). Before the redirect
 * URI is verified, errors are an HTML page and never a redirect; after, they go to the client with
 * `state` and `iss`. No case may leave a code behind.
 */
describe('authorization request errors', () => {
  let fx: OAuthFixture;
  beforeAll(async () => {
    fx = await startOAuthFixture();
  });
  afterAll(() => fx.close());

  const codesIssued = async () => Number((await fx.api.database.query<{ n: string }>('select count(*) as n from authorization_codes')).rows[0]!.n);

  async function expectErrorPage(params: Record<string, string | null>, code: string) {
    const before = await codesIssued();
    const response = await fetch(authorizeUrl(fx, params), { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await response.text()).toContain(`<code>${code}</code>`);
    expect(await codesIssued()).toBe(before);
  }

  async function expectRedirectError(params: Record<string, string | null>, error: string) {
    const before = await codesIssued();
    const response = await fetch(authorizeUrl(fx, params), { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(params.redirect_uri ?? 'https://web.acme.example/callback');
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('error_description')).toEqual(expect.any(String));
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(fx.issuer);
    expect(location.searchParams.get('code')).toBeNull();
    expect(await codesIssued()).toBe(before);
  }

  it('unknown client: error page, no redirect', () => expectErrorPage({ client_id: 'nobody' }, 'invalid_request'));
  it('missing client_id: error page', () => expectErrorPage({ client_id: null }, 'invalid_request'));
  it('missing redirect_uri: error page', () => expectErrorPage({ redirect_uri: null }, 'invalid_request'));
  it('redirect URI with a trailing slash: error page', () => expectErrorPage({ redirect_uri: 'https://web.acme.example/callback/' }, 'invalid_redirect_uri'));
  it('redirect URI with different case: error page', () => expectErrorPage({ redirect_uri: 'https://web.acme.example/Callback' }, 'invalid_redirect_uri'));
  it('redirect URI with an extra query parameter: error page', () => expectErrorPage({ redirect_uri: 'https://web.acme.example/callback?next=/admin' }, 'invalid_redirect_uri'));
  it('redirect URI with a fragment: error page', () => expectErrorPage({ redirect_uri: 'https://web.acme.example/callback#x' }, 'invalid_redirect_uri'));
  it('redirect URI with the userinfo trick: error page', () => expectErrorPage({ redirect_uri: 'https://web.acme.example@evil.example/callback' }, 'invalid_redirect_uri'));
  it('redirect URI with path traversal: error page', () => expectErrorPage({ redirect_uri: 'https://web.acme.example/callback/../../evil' }, 'invalid_redirect_uri'));
  it('redirect URI downgraded from https to http: error page', () => expectErrorPage({ redirect_uri: 'http://web.acme.example/callback' }, 'invalid_redirect_uri'));
  it('redirect URI of another client of the tenant: error page', () => expectErrorPage({ redirect_uri: 'https://app.acme.example/callback' }, 'invalid_redirect_uri'));
  it('a repeated parameter: error page (RFC 6749 §3.1)', async () => {
    const url = `${authorizeUrl(fx, {})}&state=second`;
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('Parameter state must not be repeated.');
  });

  it('response_type=token (implicit): unsupported_response_type', () => expectRedirectError({ response_type: 'token' }, 'unsupported_response_type'));
  it('response_type=code id_token (hybrid): unsupported_response_type', () => expectRedirectError({ response_type: 'code id_token' }, 'unsupported_response_type'));
  it('missing code_challenge: invalid_request', () => expectRedirectError({ code_challenge: null }, 'invalid_request'));
  it('code_challenge_method=plain: invalid_request', () => expectRedirectError({ code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) }, 'invalid_request'));
  it('missing code_challenge_method (defaults to plain): invalid_request', () => expectRedirectError({ code_challenge_method: null }, 'invalid_request'));
  it('a challenge that is not a SHA-256 digest: invalid_request', () => expectRedirectError({ code_challenge: 'short' }, 'invalid_request'));
  it('a scope the client is not registered for: invalid_scope', () => expectRedirectError({ scope: 'openid admin' }, 'invalid_scope'));
  it('prompt=none without a session: login_required', () => expectRedirectError({ prompt: 'none' }, 'login_required'));
  it('prompt=none combined with login: invalid_request', () => expectRedirectError({ prompt: 'none login' }, 'invalid_request'));
  it('a request object: request_not_supported', () => expectRedirectError({ request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported'));
  it('response_mode=fragment: invalid_request', () => expectRedirectError({ response_mode: 'fragment' }, 'invalid_request'));
  it('a client not registered for authorization_code: unauthorized_client', async () => {
    await fx.admin.put('/tenants/acme/clients/acme-web-cc', {
      type: 'confidential',
      grantTypes: ['client_credentials'],
      redirectUris: ['https://web.acme.example/cc'],
    });
    await expectRedirectError({ client_id: 'acme-web-cc', redirect_uri: 'https://web.acme.example/cc' }, 'unauthorized_client');
  });
});
