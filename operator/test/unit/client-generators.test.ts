import { describe, expect, it } from 'vitest';
import type { ClientResource } from '@lanyard/contracts';
import { clientDrift } from '../../src/generators/client-drift.js';
import { desiredClientSpec } from '../../src/generators/desired-client-spec.js';
import { desiredTenantSpec } from '../../src/generators/desired-tenant-spec.js';
import { effectiveClientId } from '../../src/generators/effective-client-id.js';
import { billingClient, tenantManifest, webClient } from '../support/sample-tenant.js';

const registered = (overrides: Partial<ClientResource> = {}): ClientResource => ({
  tenant: 'acme',
  clientId: 'acme-web',
  type: 'public',
  displayName: null,
  grantTypes: ['authorization_code', 'refresh_token'],
  redirectUris: ['https://app.example.test/callback'],
  postLogoutRedirectUris: [],
  allowedCorsOrigins: [],
  scopes: [],
  audience: [],
  tokenLifetimes: {},
  firstParty: false,
  disabled: false,
  tokenEndpointAuthMethod: 'none',
  pkce: 'required',
  idTokenSignedResponseAlg: 'ES256',
  accessTokenSigningAlg: 'ES256',
  idTokenScopeClaims: false,
  requireMfa: false,
  secrets: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe('desired state of the identity service', () => {
  it('names a client <tenant>-<name> unless clientId is given', () => {
    expect(effectiveClientId('acme', webClient())).toBe('acme-web');
    expect(effectiveClientId('acme', webClient({ clientId: 'legacy-spa' }))).toBe('legacy-spa');
  });

  it('marks the tenant as managed by the operator', () => {
    expect(desiredTenantSpec(tenantManifest('acme') as never)).toEqual({ displayName: 'Tenant acme', managedBy: 'lanyard-operator' });
  });

  it('maps CamelCase enums to the API values, absent lists to empty ones, and never includes a secret', () => {
    const spec = desiredClientSpec(billingClient());
    expect(spec).toEqual({
      type: 'confidential',
      grantTypes: ['client_credentials'],
      redirectUris: [],
      postLogoutRedirectUris: [],
      allowedCorsOrigins: [],
      scopes: ['billing:read'],
      audience: [],
      tokenLifetimes: {},
      firstParty: false,
      pkce: 'required',
      requireMfa: false,
    });
    expect(spec).not.toHaveProperty('secret');
    expect(desiredClientSpec(webClient()).type).toBe('public');
    expect(desiredClientSpec(billingClient({ pkce: 'Optional', tokenEndpointAuthMethod: 'client_secret_post' }))).toMatchObject({ pkce: 'optional', tokenEndpointAuthMethod: 'client_secret_post' });
  });

  it('sees no drift when the registration matches, whatever the list order', () => {
    expect(clientDrift(registered(), desiredClientSpec(webClient()))).toEqual([]);
    expect(clientDrift(registered({ grantTypes: ['refresh_token', 'authorization_code'] }), desiredClientSpec(webClient()))).toEqual([]);
  });

  it('names every drifted field', () => {
    const drifted = registered({
      redirectUris: ['https://evil.example.test/cb'],
      scopes: ['admin'],
      displayName: 'Hand-edited',
      tokenLifetimes: { accessToken: 3600 },
      firstParty: true,
    });
    expect(clientDrift(drifted, desiredClientSpec(webClient())).sort()).toEqual(['displayName', 'firstParty', 'redirectUris', 'scopes', 'tokenLifetimes']);
    expect(clientDrift(registered({ type: 'confidential' }), desiredClientSpec(webClient()))).toEqual(['type']);
  });

  it('carries requireMfa as set, and an absent one as false (the declarative PUT clears a hand-set true)', () => {
    expect(desiredClientSpec(webClient({ requireMfa: true }))).toMatchObject({ requireMfa: true });
    expect(desiredClientSpec(webClient({ requireMfa: false }))).toMatchObject({ requireMfa: false });
    expect(desiredClientSpec(webClient())).toMatchObject({ requireMfa: false });
  });

  it('sees requireMfa drift both ways, and none when an absent spec field meets false', () => {
    expect(clientDrift(registered({ requireMfa: true }), desiredClientSpec(webClient()))).toEqual(['requireMfa']);
    expect(clientDrift(registered(), desiredClientSpec(webClient({ requireMfa: true })))).toEqual(['requireMfa']);
    expect(clientDrift(registered({ requireMfa: true }), desiredClientSpec(webClient({ requireMfa: true })))).toEqual([]);
    expect(clientDrift(registered(), desiredClientSpec(webClient({ requireMfa: false })))).toEqual([]);
    const { requireMfa: _requireMfa, ...withoutField } = desiredClientSpec(webClient());
    expect(clientDrift(registered(), withoutField)).toEqual([]);
    expect(clientDrift(registered({ requireMfa: true }), withoutField)).toEqual(['requireMfa']);
  });
});
