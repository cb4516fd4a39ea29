import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient } from '../../support/admin-client.js';

describe('client_credentials grant (RFC 6749 §4.4) issuing RFC 9068 access tokens', () => {
  let api: TestApi;
  let secret: string;
  /** A client registered for client_secret_post; `billing` uses the default, client_secret_basic. */
  const postSecret = 'billing-post-secret-0123456789abcdefghijklmnop';
  beforeAll(async () => {
    api = await startTestApi({ listen: true });
    const admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
    await admin.put('/tenants/globex', { displayName: 'Globex' });
    secret = (
      await admin.put('/tenants/acme/clients/billing', {
        type: 'confidential',
        grantTypes: ['client_credentials'],
        scopes: ['invoices:read', 'invoices:write'],
        audience: ['https://billing.acme.example', 'https://ledger.acme.example'],
        tokenLifetimes: { accessToken: 120 },
      })
    ).json().clientSecret;
    await admin.put('/tenants/acme/clients/billing-post', {
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['invoices:read', 'invoices:write'],
      audience: ['https://billing.acme.example', 'https://ledger.acme.example'],
      tokenEndpointAuthMethod: 'client_secret_post',
      secret: postSecret,
    });
  });
  afterAll(() => api.close());

  const post = (tenant: string, form: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const value of [v].flat()) body.append(k, value);
    return fetch(`${api.baseUrl}/tenants/${tenant}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body,
    });
  };
  const basic = (id: string, s: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(s)}`).toString('base64')}` });

  it('issues a JWT that verifies against the tenant JWKS with every RFC 9068 claim', async () => {
    const response = await post('acme', { grant_type: 'client_credentials' }, basic('billing', secret));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 120, scope: 'invoices:read invoices:write' });
    expect(body).not.toHaveProperty('refresh_token');
    const jwks = createRemoteJWKSet(new URL(`${api.baseUrl}/tenants/acme/jwks`));
    const { payload, protectedHeader } = await jwtVerify(body.access_token as string, jwks, {
      issuer: `${api.baseUrl}/tenants/acme`,
      audience: 'https://billing.acme.example',
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({ sub: 'billing', client_id: 'billing', scope: 'invoices:read invoices:write', aud: ['https://billing.acme.example', 'https://ledger.acme.example'] });
    expect(payload.exp! - payload.iat!).toBe(120);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts client_secret_post from a client registered for it, and narrows scope and audience on request (RFC 8707)', async () => {
    const response = await post('acme', { grant_type: 'client_credentials', client_id: 'billing-post', client_secret: postSecret, scope: 'invoices:read', resource: 'https://ledger.acme.example' });
    expect(response.status).toBe(200);
    const token = ((await response.json()) as { access_token: string }).access_token;
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
    expect(payload.scope).toBe('invoices:read');
    expect(payload.aud).toBe('https://ledger.acme.example');
  });

  it.each([
    ['a wrong secret', () => post('acme', { grant_type: 'client_credentials' }, basic('billing', 'wrong')), 401, 'invalid_client'],
    ['an unknown client', () => post('acme', { grant_type: 'client_credentials' }, basic('nobody', secret)), 401, 'invalid_client'],
    ['no authentication', () => post('acme', { grant_type: 'client_credentials', client_id: 'billing' }), 401, 'invalid_client'],
    ['two authentication methods', () => post('acme', { grant_type: 'client_credentials', client_secret: secret }, basic('billing', secret)), 400, 'invalid_request'],
    ['a scope beyond the registration', () => post('acme', { grant_type: 'client_credentials', scope: 'invoices:delete' }, basic('billing', secret)), 400, 'invalid_scope'],
    ['a user scope', () => post('acme', { grant_type: 'client_credentials', scope: 'openid' }, basic('billing', secret)), 400, 'invalid_scope'],
    ['an unregistered resource', () => post('acme', { grant_type: 'client_credentials', resource: 'https://evil.example' }, basic('billing', secret)), 400, 'invalid_target'],
    ['a missing grant_type', () => post('acme', {}, basic('billing', secret)), 400, 'unsupported_grant_type'],
    ['the password grant (not in OAuth 2.1)', () => post('acme', { grant_type: 'password', username: 'u', password: 'p' }, basic('billing', secret)), 400, 'unsupported_grant_type'],
    ['grant_type=constructor (an inherited property, not a grant)', () => post('acme', { grant_type: 'constructor' }, basic('billing', secret)), 400, 'unsupported_grant_type'],
    ['grant_type=toString', () => post('acme', { grant_type: 'toString' }, basic('billing', secret)), 400, 'unsupported_grant_type'],
    ['grant_type=__proto__', () => post('acme', { grant_type: '__proto__' }, basic('billing', secret)), 400, 'unsupported_grant_type'],
    ['a grant the client did not register (authorization_code)', () => post('acme', { grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://x.example/cb', code_verifier: 'a'.repeat(43) }, basic('billing', secret)), 400, 'unauthorized_client'],
    ['a repeated parameter', () => post('acme', { grant_type: ['client_credentials', 'client_credentials'] }, basic('billing', secret)), 400, 'invalid_request'],
    ['the client of another tenant', () => post('globex', { grant_type: 'client_credentials' }, basic('billing', secret)), 401, 'invalid_client'],
  ])('refuses %s with the RFC 6749 §5.2 error', async (_name, send, status, error) => {
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.error).toBe(error);
    expect(typeof body.error_description).toBe('string');
  });

  it('enforces each client’s registered authentication method: the other one is invalid_client, even with the right secret', async () => {
    const postFromBasicClient = await post('acme', { grant_type: 'client_credentials', client_id: 'billing', client_secret: secret });
    expect(postFromBasicClient.status).toBe(401);
    expect(await postFromBasicClient.json()).toMatchObject({ error: 'invalid_client', error_description: 'This client authenticates with client_secret_basic.' });
    const basicFromPostClient = await post('acme', { grant_type: 'client_credentials' }, basic('billing-post', postSecret));
    expect(basicFromPostClient.status).toBe(401);
    expect(basicFromPostClient.headers.get('www-authenticate')).toBe('Basic realm="acme"');
    expect(await basicFromPostClient.json()).toMatchObject({ error: 'invalid_client', error_description: 'This client authenticates with client_secret_post.' });
    expect(api.rawLogs()).not.toContain(postSecret);
  });

  it('sends a Basic challenge with invalid_client when Basic was used (RFC 6749 §5.2)', async () => {
    const response = await post('acme', { grant_type: 'client_credentials' }, basic('billing', 'wrong'));
    expect(response.headers.get('www-authenticate')).toBe('Basic realm="acme"');
  });

  it('refuses a JSON body (the endpoint takes form encoding only)', async () => {
    const response = await fetch(`${api.baseUrl}/tenants/acme/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/json', ...basic('billing', secret) }, body: '{"grant_type":"client_credentials"}' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('invalid_request');
  });

  it('counts outcomes and latency under the contract metric names, never logging the secret', async () => {
    // Outcomes of its own to count: successes with both authentication methods, and invalid_client failures.
    const statuses: number[] = [];
    const send = async (response: Promise<Response>) => {
      const answered = await response;
      await answered.arrayBuffer();
      statuses.push(answered.status);
    };
    await send(post('acme', { grant_type: 'client_credentials' }, basic('billing', secret)));
    await send(post('acme', { grant_type: 'client_credentials', client_id: 'billing-post', client_secret: postSecret }));
    for (let i = 0; i < 4; i += 1) await send(post('acme', { grant_type: 'client_credentials' }, basic('billing', 'wrong')));
    expect(statuses).toEqual([200, 200, 401, 401, 401, 401]);
    await api.ctx.audit.flush();
    const metrics = (await api.metricsApp.inject('/metrics')).body;
    expect(metrics).toMatch(/identity_auth_events_total\{tenant="acme",event="token",result="success",reason=""\} \d+/);
    expect(metrics).toMatch(/identity_auth_events_total\{tenant="acme",event="token",result="failure",reason="invalid_client"\} \d+/);
    expect(metrics).toMatch(/identity_token_duration_seconds_count\{tenant="acme",grant_type="client_credentials"\} \d+/);
    const audit = await api.database.query<{ n: string }>(`select count(*) as n from audit_events where tenant = 'acme' and event = 'token'`);
    expect(Number(audit.rows[0]!.n)).toBeGreaterThan(5);
    expect(api.rawLogs()).not.toContain(secret);
    expect(api.rawLogs()).not.toContain(encodeURIComponent(secret));
  });
});
