import type { TenantAccounts } from '@lanyard/contracts';
import type { OAuthFixture } from './oauth-fixture.js';

/**
 * A second Lanyard tenant, `corp`, on the fixture's own server, set up as an upstream OpenID
 * Connect provider of `acme`: its client `lanyard-acme` redirects to acme's federation callback.
 * Returns that client's secret.
 */
export async function startLanyardUpstream(fx: OAuthFixture, accounts: TenantAccounts = {}): Promise<string> {
  await fx.admin.put('/tenants/corp', { displayName: 'Corp', accounts });
  const client = await fx.admin.put('/tenants/corp/clients/lanyard-acme', {
    type: 'confidential',
    grantTypes: ['authorization_code'],
    redirectUris: [`${fx.issuer}/federation/corp/callback`],
    scopes: ['openid', 'email', 'profile'],
    firstParty: true,
  });
  return client.json().clientSecret as string;
}

/** Declares `corp` as acme's provider `corp` with a linking rule. */
export async function declareCorpProvider(fx: OAuthFixture, clientSecret: string, linking: 'just-in-time' | 'verified-email' | 'existing-only'): Promise<number> {
  const put = await fx.admin.put('/tenants/acme/identity-providers/corp', { displayName: 'Corp', issuer: `${fx.api.baseUrl}/tenants/corp`, clientId: 'lanyard-acme', clientSecret, linking });
  return put.statusCode;
}
