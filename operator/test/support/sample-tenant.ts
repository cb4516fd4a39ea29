import type { IdentityTenantClient, IdentityTenantSpec } from '@lanyard/crd';

/** A public browser client. */
export const webClient = (overrides: Partial<IdentityTenantClient> = {}): IdentityTenantClient => ({
  name: 'web',
  type: 'Public',
  grantTypes: ['authorization_code', 'refresh_token'],
  redirectUris: ['https://app.example.test/callback'],
  ...overrides,
});

/** A confidential machine-to-machine client with its Secret. */
export const billingClient = (overrides: Partial<IdentityTenantClient> = {}): IdentityTenantClient => ({
  name: 'billing',
  type: 'Confidential',
  grantTypes: ['client_credentials'],
  scopes: ['billing:read'],
  secret: { name: 'billing-oauth' },
  ...overrides,
});

/** An IdentityTenant manifest. */
export function tenantManifest(name: string, spec: Partial<IdentityTenantSpec> = {}) {
  return {
    apiVersion: 'lanyard.dev/v1alpha1',
    kind: 'IdentityTenant',
    metadata: { name },
    spec: { displayName: `Tenant ${name}`, namespace: name, clients: [webClient(), billingClient()], ...spec },
  };
}
