import * as oidc from 'openid-client';
import { adminClient, type AdminClient } from './admin-client.js';
import { startTestApi, type TestApi } from './test-api.js';
import type { UserAgent } from './user-agent.js';

export const APP_ORIGIN = 'https://app.acme.example';
export const SPA_REDIRECT = `${APP_ORIGIN}/callback`;
export const NATIVE_REDIRECT = 'http://127.0.0.1/callback';
export const PASSWORD = 'correct horse battery staple';

export interface OAuthFixture {
  readonly api: TestApi;
  readonly admin: AdminClient;
  readonly issuer: string;
  readonly userId: string;
  readonly email: string;
  /** Secret of the confidential `acme-web` client (code + refresh, body delivery). */
  readonly webSecret: string;
  close(): Promise<void>;
}

/**
 * A listening API with tenants `acme` and `globex`, and at `acme`:
 * - `acme-spa`: public browser client (CORS origin, cookie refresh), first-party;
 * - `acme-native`: public native client (loopback redirect, body refresh), not first-party;
 * - `acme-web`: confidential web client (code + refresh), first-party;
 * - `acme-service`: confidential client_credentials client;
 * - a user with a password. `globex` has a same-named `acme-spa` client for cross-tenant tests.
 */
export async function startOAuthFixture(env: Record<string, string> = {}, options: { publicHost?: string } = {}): Promise<OAuthFixture> {
  // Many protocol tests sign in wrongly on purpose; the lockout policy has its own tests.
  const api = await startTestApi({ listen: true, ...options, env: { LOGIN_FAILURE_BURST: '1000', LOGIN_LOCKOUT_FAILURES: '10000', ...env } });
  const admin = adminClient(api.app, await api.adminToken());
  for (const tenant of ['acme', 'globex']) {
    await admin.put(`/tenants/${tenant}`, { displayName: tenant === 'acme' ? 'Acme' : 'Globex' });
    await admin.put(`/tenants/${tenant}/clients/acme-spa`, {
      type: 'public',
      displayName: 'Acme SPA',
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: [SPA_REDIRECT],
      postLogoutRedirectUris: [`${APP_ORIGIN}/`],
      allowedCorsOrigins: [APP_ORIGIN],
      scopes: ['openid', 'profile', 'email', 'offline_access'],
      firstParty: true,
    });
  }
  await admin.put('/tenants/acme/clients/acme-native', {
    type: 'public',
    displayName: 'Acme Desktop',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [NATIVE_REDIRECT],
    scopes: ['openid', 'profile', 'email', 'offline_access'],
  });
  const web = await admin.put('/tenants/acme/clients/acme-web', {
    type: 'confidential',
    displayName: 'Acme Web',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: ['https://web.acme.example/callback'],
    postLogoutRedirectUris: ['https://web.acme.example/'],
    scopes: ['openid', 'profile', 'email', 'offline_access', 'orders:read'],
    firstParty: true,
  });
  await admin.put('/tenants/acme/clients/acme-service', { type: 'confidential', grantTypes: ['client_credentials'], scopes: ['orders:read'] });
  const email = 'alice@acme.example';
  const user = await admin.post('/tenants/acme/users', { email, password: PASSWORD, emailVerified: true, name: 'Alice' });
  return {
    api,
    admin,
    issuer: `${api.baseUrl}/tenants/acme`,
    userId: user.json().id,
    email,
    webSecret: web.json().clientSecret,
    close: () => api.close(),
  };
}

/** openid-client configuration through real discovery (http allowed: the test server is loopback). */
export async function discover(issuer: string, clientId: string, secret?: string): Promise<oidc.Configuration> {
  return oidc.discovery(new URL(issuer), clientId, secret, secret === undefined ? oidc.None() : oidc.ClientSecretBasic(secret), {
    execute: [oidc.allowInsecureRequests],
  });
}

export interface AuthorizationStart {
  readonly url: URL;
  readonly verifier: string;
  readonly state: string;
  readonly nonce: string;
}

export async function startAuthorization(config: oidc.Configuration, redirectUri: string, scope = 'openid profile email', extra: Record<string, string> = {}): Promise<AuthorizationStart> {
  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri,
    scope,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
    ...extra,
  });
  return { url, verifier, state, nonce };
}

/**
 * Drives the hosted pages like a user: follows the authorization URL, signs in on the login form
 * (and approves consent if asked), and returns the callback URL the browser lands on.
 */
export async function signInThroughPages(agent: UserAgent, authorizationUrl: URL, redirectUri: string, email: string, password = PASSWORD, consent: 'approve' | 'deny' = 'approve'): Promise<URL> {
  let step = await agent.navigate(authorizationUrl.toString(), {}, redirectUri);
  for (let pages = 0; pages < 4 && !step.url.startsWith(redirectUri); pages += 1) {
    const html = await step.response.text();
    if (step.url.includes('/login')) step = await agent.submitForm(step.url, html, { email, password }, redirectUri);
    else if (step.url.includes('/consent')) step = await agent.submitForm(step.url, html, {}, redirectUri, { name: 'decision', value: consent });
    else throw new Error(`unexpected page ${step.url} (${step.response.status}):\n${html}`);
  }
  if (!step.url.startsWith(redirectUri)) throw new Error(`did not reach the redirect URI; ended at ${step.url}`);
  return new URL(step.url);
}
