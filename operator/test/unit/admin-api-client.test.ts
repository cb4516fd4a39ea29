import { describe, expect, it } from 'vitest';
import { AdminApiClient } from '../../src/identity/admin-api-client.js';
import { AdminTokenSource } from '../../src/identity/admin-token-source.js';
import { AdminApiError, IdentityServiceUnavailable } from '../../src/identity/identity-errors.js';

type Reply = { status: number; body?: unknown; contentType?: string } | Error;

/** A scripted fetch: the unit under test is the client's mapping of HTTP outcomes, not a server. */
function scripted(replies: Array<(url: string, init: RequestInit) => Reply>) {
  const calls: Array<{ url: string; method: string; authorization: string | null }> = [];
  const fetchStub: typeof fetch = async (input, init = {}) => {
    const url = String(input);
    calls.push({ url, method: init.method ?? 'GET', authorization: new Headers(init.headers).get('authorization') });
    const next = replies.shift();
    if (next === undefined) throw new Error(`unexpected request ${url}`);
    const reply = next(url, init);
    if (reply instanceof Error) throw reply;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': reply.contentType ?? 'application/json' } });
  };
  return { fetchStub, calls };
}

const tokenReply = (token: string, expiresIn = 300) => () => ({ status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: expiresIn } });

function client(replies: Array<(url: string, init: RequestInit) => Reply>, now = () => 0) {
  const { fetchStub, calls } = scripted(replies);
  const tokens = new AdminTokenSource({ apiUrl: 'http://api', clientId: 'op', clientSecret: 's'.repeat(32), timeoutMs: 1000, fetch: fetchStub, now });
  return { api: new AdminApiClient({ apiUrl: 'http://api', tokens, timeoutMs: 1000, fetch: fetchStub }), calls };
}

describe('AdminApiClient', () => {
  it('gets an admin token with client_credentials and reuses it until shortly before it expires', async () => {
    let clock = 0;
    const { api, calls } = client(
      [tokenReply('t1', 300), () => ({ status: 200, body: { name: 'a' } }), () => ({ status: 200, body: { name: 'a' } }), tokenReply('t2'), () => ({ status: 200, body: { name: 'a' } })],
      () => clock,
    );
    await api.getTenant('a');
    clock = 200_000;
    await api.getTenant('a');
    clock = 271_000; // within 30 s of expiry
    await api.getTenant('a');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST http://api/tenants/system/oauth2/token',
      'GET http://api/admin/v1/tenants/a',
      'GET http://api/admin/v1/tenants/a',
      'POST http://api/tenants/system/oauth2/token',
      'GET http://api/admin/v1/tenants/a',
    ]);
    expect(calls[0]!.authorization).toBe(`Basic ${Buffer.from(`op:${'s'.repeat(32)}`).toString('base64')}`);
    expect(calls[4]!.authorization).toBe('Bearer t2');
  });

  it('reads 404 as absent and deletes of absent objects as false', async () => {
    const { api } = client([tokenReply('t'), () => ({ status: 404, body: { title: 'Not found' } }), () => ({ status: 404, body: {} })]);
    expect(await api.getClient('a', 'a-web')).toBeUndefined();
    expect(await api.deleteClient('a', 'a-web')).toBe(false);
  });

  it('maps a refused request to AdminApiError with the problem details', async () => {
    const { api } = client([
      tokenReply('t'),
      () => ({ status: 400, contentType: 'application/problem+json', body: { type: 'urn:lanyard:problem:validation_failed', title: 'Request validation failed', status: 400, detail: 'redirectUris/0: must use https', invalidParams: [{ name: '/redirectUris/0', reason: 'must use https' }] } }),
    ]);
    const error = await api.putClient('a', 'a-web', { type: 'public', grantTypes: ['authorization_code'], redirectUris: ['http://x'], postLogoutRedirectUris: [], allowedCorsOrigins: [], scopes: [], audience: [] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect((error as Error).message).toContain('/redirectUris/0: must use https');
  });

  it('maps connection failures, timeouts, 5xx and 429 to IdentityServiceUnavailable', async () => {
    for (const failure of [new TypeError('fetch failed'), { status: 503 }, { status: 500 }, { status: 429 }] as Reply[]) {
      const { api } = client([tokenReply('t'), () => failure]);
      await expect(api.getTenant('a')).rejects.toBeInstanceOf(IdentityServiceUnavailable);
    }
    const { api } = client([() => new TypeError('connect ECONNREFUSED')]);
    await expect(api.getTenant('a')).rejects.toBeInstanceOf(IdentityServiceUnavailable);
  });

  it('on 401 fetches a new token once and retries', async () => {
    const { api, calls } = client([tokenReply('old'), () => ({ status: 401, body: {} }), tokenReply('new'), () => ({ status: 200, body: { name: 'a' } })]);
    expect(await api.getTenant('a')).toEqual({ name: 'a' });
    expect(calls.map((c) => c.authorization?.split(' ')[1])).toEqual([expect.any(String), 'old', expect.any(String), 'new']);
  });

  it('sends the secret of a new registration only in the POST body, and reads its id', async () => {
    const { api, calls } = client([tokenReply('t'), (_url, init) => ({ status: 201, body: { id: 'id-1', createdAt: 'now', expiresAt: null, echoed: JSON.parse(String(init.body)).secret.length } })]);
    const info = await api.addClientSecret('a', 'a-billing', { secret: 'x'.repeat(43) });
    expect(info).toMatchObject({ id: 'id-1', echoed: 43 });
    expect(calls[1]!.url).toBe('http://api/admin/v1/tenants/a/clients/a-billing/secrets');
  });
});
