import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { authorizeUrl } from '../../support/oauth-helpers.js';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';
import { UserAgent } from '../../support/user-agent.js';

/**
 * Review finding 2: a NUL (or any C0 control character) anywhere in input is refused at the schema
 * edge with a 400 naming the field, in the route's error format — never a 500 — and nothing is
 * written. A database error that does happen is logged without the query's parameters.
 */
describe('control characters are refused at the edge; database errors never log their parameters', () => {
  let fx: OAuthFixture;
  let admin: AdminClient;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    admin = adminClient(fx.api.app, await fx.api.adminToken());
  });
  afterAll(() => fx.close());

  const count = async (table: string) => Number((await fx.api.ctx.database.pool.query(`select count(*) from ${table}`)).rows[0].count);
  const client = { type: 'public', grantTypes: ['authorization_code'], redirectUris: ['https://app.example/cb'] };

  it.each([
    ['tenant displayName', 'PUT', '/tenants/nul-tenant', { displayName: 'Acme\u0000Corp' }, 'body/displayName', 'tenants'],
    ['tenant managedBy', 'PUT', '/tenants/nul-tenant', { displayName: 'Acme', managedBy: 'ops\u0000' }, 'body/managedBy', 'tenants'],
    ['client displayName', 'PUT', '/tenants/acme/clients/nul-client', { ...client, displayName: 'App\u0000' }, 'body/displayName', 'clients'],
    ['client audience', 'PUT', '/tenants/acme/clients/nul-client', { ...client, audience: ['https://api\u0000.example'] }, 'body/audience/0', 'clients'],
    ['client redirect URI', 'PUT', '/tenants/acme/clients/nul-client', { ...client, redirectUris: ['https://app.example/cb\u0000'] }, 'body/redirectUris/0', 'clients'],
    ['client redirect URI (newline)', 'PUT', '/tenants/acme/clients/nul-client', { ...client, redirectUris: ['https://app.example/cb\n'] }, 'body/redirectUris/0', 'clients'],
    ['user name', 'POST', '/tenants/acme/users', { email: 'nul@acme.example', name: 'Bob\u0000' }, 'body/name', 'users'],
    ['user password', 'POST', '/tenants/acme/users', { email: 'nul@acme.example', password: 'correct\u0000horse battery' }, 'body/password', 'users'],
  ] as const)('admin API, %s: 400 problem+json naming the field, nothing written', async (_what, method, url, body, field, table) => {
    const before = await count(table);
    const response = method === 'PUT' ? await admin.put(url, body) : await admin.post(url, body);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const problem = response.json() as { status: number; type: string; detail: string; invalidParams: Array<{ name: string; reason: string }> };
    expect(problem).toMatchObject({ status: 400, type: 'urn:lanyard:problem:validation_failed', detail: `${field} must not contain control characters` });
    expect(problem.invalidParams[0]).toEqual({ name: field, reason: 'must not contain control characters' });
    expect(await count(table)).toBe(before);
  });

  it.each([
    ['GET', '/tenants/acme/users/urn:uuid:6f1c2a1e-1b7e-4a57-9b5e-2d8e5c7f0a11'],
    ['PATCH', '/tenants/acme/users/urn:uuid:6f1c2a1e-1b7e-4a57-9b5e-2d8e5c7f0a11'],
    ['DELETE', '/tenants/acme/users/urn:uuid:6f1c2a1e-1b7e-4a57-9b5e-2d8e5c7f0a11'],
    ['GET', '/tenants/acme/users/urn:uuid:6f1c2a1e-1b7e-4a57-9b5e-2d8e5c7f0a11/consents'],
    ['DELETE', '/tenants/acme/clients/acme-web/secrets/urn:uuid:6f1c2a1e-1b7e-4a57-9b5e-2d8e5c7f0a11'],
  ] as const)('admin API %s %s: an id in the urn:uuid form is a 400, never a database error', async (method, url) => {
    const response = method === 'GET' ? await admin.get(url) : method === 'PATCH' ? await admin.patch(url, { name: 'x' }) : await admin.delete(url);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('admin API ?email= filter: 400 naming querystring/email', async () => {
    const response = await admin.get('/tenants/acme/users?email=a%00b@acme.example');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ invalidParams: [{ name: 'querystring/email', reason: 'must not contain control characters' }] });
  });

  it('the unauthenticated login form: 400 page naming the field; no session created, no 500 logged', async () => {
    const agent = new UserAgent();
    const page = await agent.navigate(authorizeUrl(fx, {}));
    const html = await page.response.text();
    const sessionsBefore = await count('sessions');
    const { response } = await agent.submitForm(page.url, html, { email: `${fx.email}\u0000`, password: "x" });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await response.text()).toContain('Parameter email must not contain control characters.');
    expect(await count('sessions')).toBe(sessionsBefore);
    expect(fx.api.logs.filter((l) => l.level === 'error')).toEqual([]);
  });

  it.each([
    ['token endpoint', '/tenants/acme/oauth2/token', { grant_type: 'client_credentials', client_id: 'acme-service\u0000' }],
    ['token endpoint (refresh_token)', '/tenants/acme/oauth2/token', { grant_type: 'refresh_token', client_id: 'acme-spa', refresh_token: 'abc\u0001def' }],
    ['revocation', '/tenants/acme/oauth2/revoke', { client_id: 'acme-spa', token: 'x\u0000' }],
  ])('%s: RFC 6749 §5.2 invalid_request naming the parameter', async (_what, path, form) => {
    const response = await fetch(`${fx.api.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; error_description: string };
    expect(body.error).toBe('invalid_request');
    expect(body.error_description).toMatch(/^Parameter (client_id|refresh_token|token) must not contain control characters\.$/);
  });

  it('an 8 KiB+ parameter is refused before any lookup', async () => {
    const response = await fetch(`${fx.api.baseUrl}/tenants/acme/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x'.repeat(9_000) }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error_description: string }).error_description).toBe('Parameter client_id is too long.');
  });

  it('a database error is a generic 500, and its log line carries neither the password hash nor the email', async () => {
    const pool = fx.api.ctx.database.pool;
    await pool.query(`create function refuse_users() returns trigger language plpgsql as $$ begin raise exception 'forced failure'; end $$`);
    await pool.query('create trigger refuse_users before insert on users for each row execute function refuse_users()');
    try {
      const email = 'leak-check@acme.example';
      const before = await count('users');
      const response = await admin.post('/tenants/acme/users', { email, password: 'a password that must not leak' });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toMatchObject({ status: 500, title: 'Internal server error', detail: 'An unexpected error occurred.' });
      expect(response.body).not.toContain(email);
      expect(await count('users')).toBe(before);
      const line = fx.api.logs.find((l) => l.msg === 'request failed' && JSON.stringify(l).includes('forced failure'));
      expect(line).toBeDefined();
      const raw = fx.api.rawLogs();
      expect(raw).not.toContain('$argon2id$');
      expect(raw).not.toContain(email);
      expect(raw).not.toContain('a password that must not leak');
    } finally {
      await pool.query('drop trigger refuse_users on users');
      await pool.query('drop function refuse_users()');
    }
  });
});
