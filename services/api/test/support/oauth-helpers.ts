import { createHash, randomBytes } from 'node:crypto';
import type { OAuthFixture } from './oauth-fixture.js';
import { PASSWORD } from './oauth-fixture.js';
import { UserAgent } from './user-agent.js';

export const pkcePair = () => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};

/** An authorization URL with sane defaults; `null` removes a parameter. */
export function authorizeUrl(fx: OAuthFixture, params: Record<string, string | null>, tenant = 'acme'): string {
  const url = new URL(`${fx.api.baseUrl}/tenants/${tenant}/oauth2/authorize`);
  const defaults: Record<string, string | null> = {
    response_type: 'code',
    client_id: 'acme-web',
    redirect_uri: 'https://web.acme.example/callback',
    scope: 'openid email',
    state: 'state-123',
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
  };
  for (const [k, v] of Object.entries({ ...defaults, ...params })) if (v !== null) url.searchParams.set(k, v);
  return url.toString();
}

export interface IssuedCode {
  readonly code: string;
  readonly verifier: string;
  readonly redirectUri: string;
  readonly clientId: string;
  readonly agent: UserAgent;
}

/** Signs in through the hosted pages and returns a fresh code (the browser stays signed in). */
export async function obtainCode(
  fx: OAuthFixture,
  options: { clientId?: string; redirectUri?: string; scope?: string; tenant?: string; agent?: UserAgent; extra?: Record<string, string> } = {},
): Promise<IssuedCode> {
  const clientId = options.clientId ?? 'acme-web';
  const redirectUri = options.redirectUri ?? (clientId === 'acme-spa' ? 'https://app.acme.example/callback' : 'https://web.acme.example/callback');
  const { verifier, challenge } = pkcePair();
  const agent = options.agent ?? new UserAgent();
  let step = await agent.navigate(
    authorizeUrl(fx, { client_id: clientId, redirect_uri: redirectUri, scope: options.scope ?? 'openid email offline_access', code_challenge: challenge, ...options.extra }, options.tenant),
    {},
    redirectUri,
  );
  for (let i = 0; i < 3 && !step.url.startsWith(redirectUri); i += 1) {
    const html = await step.response.text();
    step = step.url.includes('/login')
      ? await agent.submitForm(step.url, html, { email: fx.email, password: PASSWORD }, redirectUri)
      : await agent.submitForm(step.url, html, {}, redirectUri, { name: 'decision', value: 'approve' });
  }
  const code = new URL(step.url).searchParams.get('code');
  if (code === null) throw new Error(`no code; landed on ${step.url}`);
  return { code, verifier, redirectUri, clientId, agent };
}

/** POST to a tenant's token endpoint (form-encoded). */
export async function tokenRequest(fx: OAuthFixture, form: Record<string, string>, options: { tenant?: string; headers?: Record<string, string>; agent?: UserAgent } = {}): Promise<{ status: number; body: Record<string, unknown>; response: Response }> {
  const url = `${fx.api.baseUrl}/tenants/${options.tenant ?? 'acme'}/oauth2/token`;
  const init = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...options.headers }, body: new URLSearchParams(form) };
  const response = options.agent === undefined ? await fetch(url, init) : await options.agent.request(url, init);
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>), response };
}

export const basicAuth = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}` });

/** Redeems a code for the confidential web client. */
export function redeem(fx: OAuthFixture, issued: IssuedCode, overrides: Record<string, string> = {}, tenant = 'acme') {
  const form = { grant_type: 'authorization_code', code: issued.code, redirect_uri: issued.redirectUri, code_verifier: issued.verifier, ...overrides };
  return issued.clientId === 'acme-web'
    ? tokenRequest(fx, form, { tenant, headers: basicAuth('acme-web', fx.webSecret) })
    : tokenRequest(fx, { ...form, client_id: issued.clientId }, { tenant });
}
