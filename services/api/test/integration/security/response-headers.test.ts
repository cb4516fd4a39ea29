import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { startTestApi, type TestApi } from '../../support/test-api.js';

/**
 * Review finding 5: headers and error shapes — /docs has a CSP and cannot be framed, admin JSON is
 * never cached, nothing is sniffed, a wrong method is 405 with Allow, framework errors are titled
 * and typed by their HTTP status, odd file names are 404, and an empty JSON body is no body.
 */
describe('response headers and error shapes', () => {
  let api: TestApi;
  let admin: AdminClient;
  let token: string;
  beforeAll(async () => {
    api = await startTestApi({ env: { SEED_DEMO: 'true' } });
    token = await api.adminToken();
    admin = adminClient(api.app, token);
    await admin.put('/tenants/acme', { displayName: 'Acme' });
  });
  afterAll(() => api.close());

  it('/docs (Swagger UI) has a script-restricting CSP and cannot be framed', async () => {
    expect((await api.app.inject('/docs')).statusCode).toBeLessThan(400);
    for (const url of ['/docs', '/docs/', '/docs/static/swagger-initializer.js', '/docs/json']) {
      const response = await api.app.inject(url);
      expect(response.statusCode).toBe(200);
      const csp = response.headers['content-security-policy'] as string;
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toMatch(/https:(?!\/)/);
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('admin JSON responses are no-store (they list emails and registrations)', async () => {
    await admin.post('/tenants/acme/users', { email: 'cache@acme.example' });
    for (const url of ['/tenants/acme/users', '/tenants/acme', '/tenants/nope']) {
      const response = await admin.get(url);
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it.each([
    ['discovery', '/tenants/acme/.well-known/openid-configuration'],
    ['JWKS', '/tenants/acme/jwks'],
    ['an unknown path', '/nothing-here'],
    ['an OAuth error', '/tenants/acme/oauth2/userinfo'],
    ['the demo SPA', '/examples/spa/'],
  ])('every response sends X-Content-Type-Options: nosniff (%s)', async (_what, url) => {
    expect((await api.app.inject(url)).headers['x-content-type-options']).toBe('nosniff');
  });

  it.each([
    ['GET', '/tenants/acme/oauth2/token', 'OPTIONS, POST'],
    ['DELETE', '/admin/v1/tenants/acme/users', 'GET, HEAD, POST'],
    ['POST', '/tenants/acme/jwks', 'GET, HEAD'],
  ])('%s %s is 405 with Allow: %s (problem+json)', async (method, url, allow) => {
    const response = await api.app.inject({ method: method as 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe(allow);
    expect(response.json()).toMatchObject({ status: 405, title: 'Method not allowed', type: 'urn:lanyard:problem:method_not_allowed' });
  });

  it('a hosted page answers a wrong method with a 405 page and Allow', async () => {
    const response = await api.app.inject({ method: 'PUT', url: '/tenants/acme/oauth2/authorize' });
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('GET, HEAD, POST');
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('an unknown path stays 404', async () => {
    const response = await api.app.inject({ method: 'DELETE', url: '/no/such/thing' });
    expect(response.statusCode).toBe(404);
    expect(response.headers.allow).toBeUndefined();
  });

  it('415 is titled "Unsupported Media Type" and typed without framework codes', async () => {
    const response = await api.app.inject({ method: 'PUT', url: '/admin/v1/tenants/acme', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/xml' }, payload: '<x/>' });
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ status: 415, title: 'Unsupported Media Type', type: 'urn:lanyard:problem:unsupported_media_type' });
    expect(response.body).not.toContain('FST_');
  });

  it('malformed JSON is a 400 "Bad Request" without framework codes', async () => {
    const response = await api.app.inject({ method: 'PUT', url: '/admin/v1/tenants/acme', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{"displayName":' });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ title: 'Bad Request', type: 'urn:lanyard:problem:bad_request' });
    expect(response.body).not.toContain('FST_');
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('GET /examples/spa/%s is a 404, not a 500', async (name) => {
    const response = await api.app.inject(`/examples/spa/${name}`);
    expect(response.statusCode).toBe(404);
  });

  it('DELETE with Content-Type: application/json and no body is accepted', async () => {
    await admin.put('/tenants/emptybody', { displayName: 'Empty body' });
    const response = await api.app.inject({ method: 'DELETE', url: '/admin/v1/tenants/emptybody', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(204);
    expect((await admin.get('/tenants/emptybody')).statusCode).toBe(404);
  });

  it('a PUT with an empty JSON body still needs its body (400 naming it)', async () => {
    const response = await api.app.inject({ method: 'PUT', url: '/admin/v1/tenants/acme', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'urn:lanyard:problem:validation_failed' });
    expect((await admin.get('/tenants/acme')).json()).toMatchObject({ displayName: 'Acme' });
  });
});
