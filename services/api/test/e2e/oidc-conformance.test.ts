import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { signInThroughPages, startAuthorization, startOAuthFixture, type OAuthFixture } from '../support/oauth-fixture.js';
import { UserAgent } from '../support/user-agent.js';

const REDIRECT = 'https://rp.acme.example/callback';
const PASSWORD = 'a conformance passphrase';
const CLIENT_SECRET = 'conformance-client-secret-0123456789abcdefghij';

/**
 * What the OpenID Foundation's basic and config certification plans check, driven by a real
 * relying-party library (openid-client v6): static confidential clients configured the way a
 * certifying team would, RS256 beside ES256, PKCE optional for a nonce-using RP, every standard
 * claim from userinfo, the claims parameter, acr, and enforced client authentication methods.
 */
describe('OpenID Connect conformance (openid-client v6)', () => {
  let fx: OAuthFixture;
  let userId: string;
  const email = 'conformance@acme.example';
  const scopes = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'];
  beforeAll(async () => {
    fx = await startOAuthFixture();
    const client = (clientId: string, extra: Record<string, unknown>) =>
      fx.admin.put(`/tenants/acme/clients/${clientId}`, {
        type: 'confidential',
        grantTypes: ['authorization_code', 'refresh_token'],
        redirectUris: [REDIRECT],
        scopes,
        firstParty: true,
        secret: CLIENT_SECRET,
        ...extra,
      });
    expect((await client('rp-rs256', { pkce: 'optional', idTokenSignedResponseAlg: 'RS256' })).statusCode).toBe(201);
    expect((await client('rp-strict', {})).statusCode).toBe(201);
    expect((await client('rp-post', { tokenEndpointAuthMethod: 'client_secret_post', pkce: 'optional' })).statusCode).toBe(201);
    const user = await fx.admin.post('/tenants/acme/users', {
      email,
      password: PASSWORD,
      emailVerified: true,
      name: 'Ada Lovelace',
      givenName: 'Ada',
      familyName: 'Lovelace',
      middleName: 'Augusta',
      nickname: 'ada',
      preferredUsername: 'ada.l',
      profile: 'https://people.acme.example/ada',
      picture: 'https://people.acme.example/ada.png',
      website: 'https://ada.example',
      gender: 'female',
      birthdate: '1815-12-10',
      zoneinfo: 'Europe/London',
      locale: 'en-GB',
      phoneNumber: '+44 20 7946 0958',
      phoneNumberVerified: true,
      address: { formatted: '12 St James’s Square, London', street_address: '12 St James’s Square', locality: 'London', postal_code: 'SW1Y 4JH', country: 'GB' },
    });
    expect(user.statusCode).toBe(201);
    userId = user.json().id;
  });
  afterAll(() => fx.close());

  const discover = (clientId: string, metadata: Partial<oidc.ClientMetadata> = {}, auth = oidc.ClientSecretBasic(CLIENT_SECRET)) =>
    oidc.discovery(new URL(fx.issuer), clientId, { client_secret: CLIENT_SECRET, ...metadata }, auth, { execute: [oidc.allowInsecureRequests] });

  /** An authorization request without PKCE, as the basic plan's RPs send it (nonce only). */
  const withoutPkce = (config: oidc.Configuration, extra: Record<string, string> = {}) => {
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    return { url: oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: scopes.join(' '), state, nonce, ...extra }), state, nonce };
  };

  it('discovery lists RS256 and ES256, address and phone, the claims parameter and acr values', async () => {
    const metadata = (await discover('rp-rs256')).serverMetadata();
    expect(metadata.id_token_signing_alg_values_supported).toEqual(expect.arrayContaining(['RS256', 'ES256']));
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'address', 'phone']));
    expect(metadata.claims_parameter_supported).toBe(true);
    expect(metadata.acr_values_supported).toEqual(['urn:lanyard:acr:pwd', 'urn:lanyard:acr:mfa']);
    expect(metadata.code_challenge_methods_supported).toEqual(['S256']);
    const jwks = (await (await fetch(metadata.jwks_uri!)).json()) as { keys: Array<{ alg: string; kid: string; use: string }> };
    expect(new Set(jwks.keys.map((k) => k.alg))).toEqual(new Set(['ES256', 'RS256']));
    expect(new Set(jwks.keys.map((k) => k.kid)).size).toBe(jwks.keys.length);
  });

  it('a confidential client with PKCE optional signs in with a nonce and no PKCE; its RS256 ID token verifies against the JWKS', async () => {
    const config = await discover('rp-rs256', { id_token_signed_response_alg: 'RS256' });
    oidc.enableNonRepudiationChecks(config); // openid-client then checks the ID token's JWS against the JWKS
    const start = withoutPkce(config);
    expect(start.url.searchParams.has('code_challenge')).toBe(false);
    const callback = await signInThroughPages(new UserAgent(), start.url, REDIRECT, email, PASSWORD);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { expectedNonce: start.nonce, expectedState: start.state, idTokenExpected: true });
    expect(JSON.parse(Buffer.from(tokens.id_token!.split('.')[0]!, 'base64url').toString()).alg).toBe('RS256');
    expect(tokens.claims()).toMatchObject({ sub: userId, nonce: start.nonce, acr: 'urn:lanyard:acr:pwd', amr: ['pwd'] });
  });

  it('a confidential client that sends neither PKCE nor a nonce still succeeds when its policy is optional', async () => {
    const config = await discover('rp-rs256', { id_token_signed_response_alg: 'RS256' });
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope: 'openid', state });
    const callback = await signInThroughPages(new UserAgent(), url, REDIRECT, email, PASSWORD);
    const tokens = await oidc.authorizationCodeGrant(config, callback, { expectedState: state, idTokenExpected: true });
    expect(tokens.claims()?.sub).toBe(userId);
  });

  it('a confidential client whose policy says required is refused without PKCE, even with a nonce', async () => {
    const config = await discover('rp-strict');
    const start = withoutPkce(config);
    const response = await new UserAgent().navigate(start.url.toString(), {}, REDIRECT);
    const error = new URL(response.url);
    expect(error.origin + error.pathname).toBe(REDIRECT);
    expect(error.searchParams.get('error')).toBe('invalid_request');
    expect(error.searchParams.get('error_description')).toContain('PKCE is required');
    expect(error.searchParams.get('state')).toBe(start.state);
  });

  it('downgrade protection: a code issued without a challenge refuses a code_verifier', async () => {
    const config = await discover('rp-rs256', { id_token_signed_response_alg: 'RS256' });
    const start = withoutPkce(config);
    const callback = await signInThroughPages(new UserAgent(), start.url, REDIRECT, email, PASSWORD);
    await expect(
      oidc.authorizationCodeGrant(config, callback, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedNonce: start.nonce, expectedState: start.state }),
    ).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('userinfo returns every profile, email, address and phone claim the user has, by scope', async () => {
    const config = await discover('rp-strict');
    const start = await startAuthorization(config, REDIRECT, scopes.join(' '));
    const tokens = await oidc.authorizationCodeGrant(config, await signInThroughPages(new UserAgent(), start.url, REDIRECT, email, PASSWORD), {
      pkceCodeVerifier: start.verifier,
      expectedNonce: start.nonce,
      expectedState: start.state,
    });
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, userId);
    expect(userinfo).toEqual({
      sub: userId,
      name: 'Ada Lovelace',
      given_name: 'Ada',
      family_name: 'Lovelace',
      middle_name: 'Augusta',
      nickname: 'ada',
      preferred_username: 'ada.l',
      profile: 'https://people.acme.example/ada',
      picture: 'https://people.acme.example/ada.png',
      website: 'https://ada.example',
      gender: 'female',
      birthdate: '1815-12-10',
      zoneinfo: 'Europe/London',
      locale: 'en-GB',
      updated_at: expect.any(Number),
      email,
      email_verified: true,
      address: { formatted: '12 St James’s Square, London', street_address: '12 St James’s Square', locality: 'London', postal_code: 'SW1Y 4JH', country: 'GB' },
      phone_number: '+44 20 7946 0958',
      phone_number_verified: true,
    });
    // An access token was issued with the ID token, so scope claims come from userinfo only (Core §5.4).
    expect(tokens.claims()).not.toHaveProperty('email');
    expect(tokens.claims()).not.toHaveProperty('phone_number');
    // The refreshed ID token says the same about the sign-in.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.claims()).toMatchObject({ sub: userId, acr: 'urn:lanyard:acr:pwd', amr: ['pwd'] });
  });

  it('only the claims of the granted scopes: scope=openid phone returns sub and the phone claims', async () => {
    const config = await discover('rp-strict');
    const start = await startAuthorization(config, REDIRECT, 'openid phone');
    const tokens = await oidc.authorizationCodeGrant(config, await signInThroughPages(new UserAgent(), start.url, REDIRECT, email, PASSWORD), {
      pkceCodeVerifier: start.verifier,
      expectedNonce: start.nonce,
      expectedState: start.state,
    });
    expect(await oidc.fetchUserInfo(config, tokens.access_token, userId)).toEqual({ sub: userId, phone_number: '+44 20 7946 0958', phone_number_verified: true });
  });

  it('the claims parameter: individual (and essential) claims for the ID token and for userinfo', async () => {
    const config = await discover('rp-strict');
    const claims = JSON.stringify({ id_token: { email: { essential: true }, nickname: null }, userinfo: { picture: null, locale: { essential: true } } });
    const start = await startAuthorization(config, REDIRECT, 'openid', { claims });
    const tokens = await oidc.authorizationCodeGrant(config, await signInThroughPages(new UserAgent(), start.url, REDIRECT, email, PASSWORD), {
      pkceCodeVerifier: start.verifier,
      expectedNonce: start.nonce,
      expectedState: start.state,
    });
    expect(tokens.claims()).toMatchObject({ email, nickname: 'ada' });
    expect(tokens.claims()).not.toHaveProperty('picture');
    expect(await oidc.fetchUserInfo(config, tokens.access_token, userId)).toEqual({ sub: userId, picture: 'https://people.acme.example/ada.png', locale: 'en-GB' });
  });

  it('a malformed claims parameter is invalid_request at the redirect URI', async () => {
    const config = await discover('rp-strict');
    const start = await startAuthorization(config, REDIRECT, 'openid', { claims: '{"id_token": [1, 2]}' });
    const response = await new UserAgent().navigate(start.url.toString(), {}, REDIRECT);
    expect(new URL(response.url).searchParams.get('error')).toBe('invalid_request');
  });

  it('acr_values are answered with the acr achieved; an essential acr that cannot be met is access_denied', async () => {
    const config = await discover('rp-strict');
    const start = await startAuthorization(config, REDIRECT, 'openid', { acr_values: '1 2' });
    const agent = new UserAgent();
    const tokens = await oidc.authorizationCodeGrant(config, await signInThroughPages(agent, start.url, REDIRECT, email, PASSWORD), {
      pkceCodeVerifier: start.verifier,
      expectedNonce: start.nonce,
      expectedState: start.state,
    });
    expect(tokens.claims()?.acr).toBe('urn:lanyard:acr:pwd');
    const essential = await startAuthorization(config, REDIRECT, 'openid', { claims: JSON.stringify({ id_token: { acr: { essential: true, values: ['urn:example:acr:hardware-key'] } } }) });
    const denied = new URL((await agent.navigate(essential.url.toString(), {}, REDIRECT)).url);
    expect(denied.searchParams.get('error')).toBe('access_denied');
    expect(denied.searchParams.get('state')).toBe(essential.state);
  });

  it('each client’s registered authentication method is enforced: a mismatch is invalid_client', async () => {
    // rp-post registered client_secret_post; authenticating with Basic is refused …
    const asBasic = await discover('rp-post');
    const start = withoutPkce(asBasic);
    const callback = await signInThroughPages(new UserAgent(), start.url, REDIRECT, email, PASSWORD);
    // (openid-client reports the 401 invalid_client through its Basic challenge.)
    await expect(oidc.authorizationCodeGrant(asBasic, callback, { expectedNonce: start.nonce, expectedState: start.state })).rejects.toMatchObject({
      status: 401,
      cause: [{ scheme: 'basic', parameters: { realm: 'acme' } }],
    });
    // … and with its own method it works.
    const asPost = await discover('rp-post', {}, oidc.ClientSecretPost(CLIENT_SECRET));
    const again = withoutPkce(asPost);
    const tokens = await oidc.authorizationCodeGrant(asPost, await signInThroughPages(new UserAgent(), again.url, REDIRECT, email, PASSWORD), { expectedNonce: again.nonce, expectedState: again.state });
    expect(tokens.access_token).toBeTruthy();
    // rp-strict registered the default, client_secret_basic: client_secret_post is refused.
    const strictAsPost = await discover('rp-strict', {}, oidc.ClientSecretPost(CLIENT_SECRET));
    await expect(oidc.refreshTokenGrant(strictAsPost, 'not-a-token')).rejects.toMatchObject({ error: 'invalid_client' });
  });
});
