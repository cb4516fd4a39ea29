import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminClient, type AdminClient } from '../../support/admin-client.js';
import { startOAuthFixture, type OAuthFixture } from '../../support/oauth-fixture.js';

const jwtClaims = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Review finding 4 (RFC 9068 §5): a client_credentials token's `sub` (the client id) can never
 * equal a user's `sub` (a UUID), because UUID-shaped client ids are refused at registration.
 */
describe('client and user subjects cannot be confused', () => {
  let fx: OAuthFixture;
  let admin: AdminClient;
  beforeAll(async () => {
    fx = await startOAuthFixture();
    admin = adminClient(fx.api.app, await fx.api.adminToken());
  });
  afterAll(() => fx.close());

  it.each([
    ['a user’s own id', () => fx.userId],
    ['any UUID', () => '123e4567-e89b-12d3-a456-426614174000'],
    ['an upper-case UUID', () => '123E4567-E89B-12D3-A456-426614174000'],
  ])('refuses a client named with %s: 400 naming clientId, nothing created', async (_what, id) => {
    const response = await admin.put(`/tenants/acme/clients/${id()}`, { type: 'confidential', grantTypes: ['client_credentials'] });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ type: 'urn:lanyard:problem:validation_failed', invalidParams: [{ name: 'params/clientId', reason: 'must not have the form of a UUID' }] });
    expect((await admin.get(`/tenants/acme/clients/${id()}`)).statusCode).toBe(404);
  });

  it('a client_credentials token’s sub is its client id, never UUID-shaped; a user token’s sub is the user’s UUID', async () => {
    const created = await admin.put('/tenants/acme/clients/ledger-robot', { type: 'confidential', grantTypes: ['client_credentials'], scopes: ['ledger:read'], tokenEndpointAuthMethod: 'client_secret_post' });
    const secret = (created.json() as { clientSecret: string }).clientSecret;
    const response = await fetch(`${fx.issuer}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'ledger-robot', client_secret: secret }),
    });
    const claims = jwtClaims(((await response.json()) as { access_token: string }).access_token);
    expect(claims).toMatchObject({ sub: 'ledger-robot', client_id: 'ledger-robot' });
    expect(claims.sub).not.toMatch(UUID);
    expect(claims).not.toHaveProperty('auth_time');
    expect(fx.userId).toMatch(UUID);
  });
});
