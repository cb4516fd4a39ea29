import type { IdentityTenantClient, IdentityTenantIdentityProvider, IdentityTenantSpec } from '@lanyard/crd';

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

/** An upstream OpenID Connect provider whose client secret is key `client-secret` of Secret `google-oidc`. */
export const googleProvider = (overrides: Partial<IdentityTenantIdentityProvider> = {}): IdentityTenantIdentityProvider => ({
  name: 'google',
  issuer: 'https://accounts.google.example',
  clientId: 'acme-at-google',
  clientSecretRef: { name: 'google-oidc', key: 'client-secret' },
  link: 'VerifiedEmail',
  ...overrides,
});

/** An Opaque Secret as a person would create it (`kubectl create secret generic`), not the operator's. */
export const userSecret = (namespace: string, name: string, stringData: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Secret',
  type: 'Opaque',
  metadata: { namespace, name },
  data: Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
});
