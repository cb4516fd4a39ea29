import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { startTestApi, type TestApi } from '../../support/test-api.js';
import { adminClient } from '../../support/admin-client.js';

describe('admin API authentication (RFC 6750)', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('answers 401 with a Bearer challenge when the token is missing', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/admin/v1/tenants/system' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="lanyard-admin"');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ status: 401, title: 'Unauthorized', type: 'urn:lanyard:problem:unauthorized' });
  });

  it('answers 401 invalid_token for a wrong token', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/admin/v1/tenants/system', headers: { authorization: 'Bearer not.a.token' } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('answers 401 invalid_request for a non-Bearer scheme', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/admin/v1/tenants/system', headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_request"');
  });

  it('rejects a token signed by a key that is not the system tenant’s', async () => {
    const { privateKey } = await import('node:crypto').then((c) => c.generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    const jwks = (await api.app.inject({ url: '/tenants/system/jwks' })).json() as { keys: Array<{ kid: string }> };
    const forged = await new SignJWT({ scope: 'lanyard:admin', client_id: 'lanyard-admin', jti: 'x' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwks.keys[0]!.kid })
      .setIssuer(`${api.baseUrl}/tenants/system`)
      .setSubject('lanyard-admin')
      .setAudience('urn:lanyard:admin-api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(privateKey);
    const response = await adminClient(api.app, forged).get('/tenants/system');
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toContain('error="invalid_token"');
  });

  it('rejects a token from another tenant even when correctly signed there', async () => {
    const admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/other', { displayName: 'Other' });
    const created = await admin.put('/tenants/other/clients/robot', {
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['lanyard:admin'],
      audience: ['urn:lanyard:admin-api'],
      tokenEndpointAuthMethod: 'client_secret_post',
    });
    const secret = (created.json() as { clientSecret: string }).clientSecret;
    const token = await api.app.inject({
      method: 'POST',
      url: '/tenants/other/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `grant_type=client_credentials&client_id=robot&client_secret=${encodeURIComponent(secret)}`,
    });
    expect(token.statusCode).toBe(200);
    const response = await adminClient(api.app, (token.json() as { access_token: string }).access_token).get('/tenants/other');
    expect(response.statusCode).toBe(401);
  });

  it('answers 403 insufficient_scope for a system token without lanyard:admin', async () => {
    const admin = adminClient(api.app, await api.adminToken());
    const created = await admin.put('/tenants/system/clients/reader', {
      type: 'confidential',
      grantTypes: ['client_credentials'],
      scopes: ['metrics:read'],
      audience: ['urn:lanyard:admin-api'],
    });
    const secret = (created.json() as { clientSecret: string }).clientSecret;
    const token = await api.app.inject({
      method: 'POST',
      url: '/tenants/system/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`reader:${secret}`).toString('base64')}` },
      payload: 'grant_type=client_credentials',
    });
    const response = await adminClient(api.app, (token.json() as { access_token: string }).access_token).get('/tenants/system');
    expect(response.statusCode).toBe(403);
    expect(response.headers['www-authenticate']).toContain('error="insufficient_scope"');
    expect(response.headers['www-authenticate']).toContain('scope="lanyard:admin"');
  });

  it('rejects an expired admin token', async () => {
    const jwk = await api.ctx.keys.ring((await api.ctx.tenants.find('system'))!.id);
    const key = jwk.signingKey(new Date(), 'ES256')!;
    const expired = await new SignJWT({ scope: 'lanyard:admin', client_id: 'lanyard-admin', jti: 'y' })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: key.kid })
      .setIssuer(`${api.baseUrl}/tenants/system`)
      .setSubject('lanyard-admin')
      .setAudience('urn:lanyard:admin-api')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(key.privateKey);
    const response = await adminClient(api.app, expired).get('/tenants/system');
    expect(response.statusCode).toBe(401);
    // the key is real and the claims are right: only expiry can have failed
    expect(api.logs.some((l) => l.detail === 'expired')).toBe(true);
  });
});
