import { createHash } from 'node:crypto';
import type { IdentityProviderResource } from '@lanyard/contracts';
import type { IdentityTenant } from '@lanyard/crd';
import { describe, expect, it } from 'vitest';
import { desiredIdentityProviderSpec } from '../../src/generators/desired-identity-provider-spec.js';
import { identityProviderDrift } from '../../src/generators/identity-provider-drift.js';
import { readProviderSecret } from '../../src/generators/read-provider-secret.js';
import { tenantsReferencingSecret, tenantsWithSecretReferences } from '../../src/generators/referenced-secrets.js';
import { providerSecretFingerprint } from '../../src/generators/secret-fingerprint.js';
import { staleIdentityProviders } from '../../src/generators/stale-identity-providers.js';
import { googleProvider, userSecret } from '../support/sample-tenant.js';

const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/** The provider as the admin API would return it after a PUT of `spec` with secret `secret`. */
function resource(overrides: Partial<IdentityProviderResource> = {}): IdentityProviderResource {
  const spec = desiredIdentityProviderSpec(googleProvider());
  return {
    tenant: 'acme',
    name: 'google',
    displayName: spec.displayName,
    issuer: spec.issuer,
    clientId: spec.clientId,
    clientSecretFingerprint: fingerprint('s3cret'),
    scopes: [],
    claims: {},
    linking: spec.linking,
    disabled: false,
    callbackUrl: 'https://id.example.test/tenants/acme/federation/google/callback',
    createdAt: '2030-01-01T00:00:00.000Z',
    updatedAt: '2030-01-01T00:00:00.000Z',
    ...overrides,
  };
}

describe('desiredIdentityProviderSpec', () => {
  it('maps the CamelCase link to the API linking rule, defaults displayName to the name and never carries a secret', () => {
    expect(desiredIdentityProviderSpec(googleProvider())).toEqual({
      displayName: 'google',
      issuer: 'https://accounts.google.example',
      clientId: 'acme-at-google',
      claims: {},
      linking: 'verified-email',
      disabled: false,
    });
    expect(desiredIdentityProviderSpec(googleProvider({ link: 'JustInTime' })).linking).toBe('just-in-time');
    expect(desiredIdentityProviderSpec(googleProvider({ link: 'ExistingOnly' })).linking).toBe('existing-only');
  });

  it('passes scopes, claims, displayName and disabled through when set', () => {
    const spec = desiredIdentityProviderSpec(googleProvider({ displayName: 'Google', scopes: ['openid', 'email'], claims: { subject: 'oid', emailVerified: 'verified' }, disabled: true }));
    expect(spec).toMatchObject({ displayName: 'Google', scopes: ['openid', 'email'], claims: { subject: 'oid', emailVerified: 'verified' }, disabled: true });
    expect(spec).not.toHaveProperty('clientSecret');
  });
});

describe('providerSecretFingerprint', () => {
  it('is the first 16 hex digits of SHA-256, as the admin API reports clientSecretFingerprint', () => {
    expect(providerSecretFingerprint('s3cret')).toBe(fingerprint('s3cret'));
    expect(providerSecretFingerprint('s3cret')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('identityProviderDrift', () => {
  const desired = desiredIdentityProviderSpec(googleProvider());

  it('is empty when everything matches, including the secret fingerprint', () => {
    expect(identityProviderDrift(resource(), desired, fingerprint('s3cret'))).toEqual([]);
  });

  it('names clientSecret when the referenced value changed (rotation) or none is stored', () => {
    expect(identityProviderDrift(resource(), desired, fingerprint('rotated'))).toEqual(['clientSecret']);
    expect(identityProviderDrift(resource({ clientSecretFingerprint: null }), desired, fingerprint('s3cret'))).toEqual(['clientSecret']);
  });

  it('finds fields changed in the identity service', () => {
    const edited = resource({ displayName: 'Other', issuer: 'https://evil.example', clientId: 'x', linking: 'just-in-time', disabled: true, claims: { email: 'mail' } });
    expect(identityProviderDrift(edited, desired, fingerprint('s3cret'))).toEqual(['displayName', 'issuer', 'clientId', 'linking', 'claims.email', 'disabled']);
  });

  it('treats scopes as a set, and absent desired scopes as either form of the default', () => {
    expect(identityProviderDrift(resource({ scopes: ['profile', 'openid', 'email'] }), desired, fingerprint('s3cret'))).toEqual([]);
    expect(identityProviderDrift(resource({ scopes: ['openid'] }), desired, fingerprint('s3cret'))).toEqual(['scopes']);
    const withScopes = desiredIdentityProviderSpec(googleProvider({ scopes: ['openid', 'groups'] }));
    expect(identityProviderDrift(resource({ scopes: ['groups', 'openid'] }), withScopes, fingerprint('s3cret'))).toEqual([]);
    expect(identityProviderDrift(resource({ scopes: [] }), withScopes, fingerprint('s3cret'))).toEqual(['scopes']);
  });

  it('treats a claim name equal to its OIDC default as an absent one', () => {
    expect(identityProviderDrift(resource({ claims: { subject: 'sub', email: 'email', emailVerified: 'email_verified', name: 'name' } }), desired, fingerprint('s3cret'))).toEqual([]);
  });
});

describe('readProviderSecret', () => {
  const ref = { name: 'google-oidc', key: 'client-secret' };

  it('reads the referenced key', () => {
    expect(readProviderSecret(userSecret('acme', 'google-oidc', { 'client-secret': 's3cret' }), 'acme', ref, 'google')).toEqual({ ok: true, value: 's3cret' });
  });

  it('is SecretNotFound, naming namespace/name and key, for a missing Secret or key', () => {
    const missing = readProviderSecret(undefined, 'acme', ref, 'google');
    expect(missing).toMatchObject({ ok: false, reason: 'SecretNotFound' });
    expect(!missing.ok && missing.message).toContain('acme/google-oidc');
    expect(!missing.ok && missing.message).toContain('"client-secret"');
    const noKey = readProviderSecret(userSecret('acme', 'google-oidc', { other: 'x' }), 'acme', ref, 'google');
    expect(noKey).toMatchObject({ ok: false, reason: 'SecretNotFound' });
    expect(!noKey.ok && noKey.message).toContain('acme/google-oidc has no key "client-secret"');
  });

  it('is SecretInvalid for a value the admin API would refuse, without showing the value', () => {
    const result = readProviderSecret(userSecret('acme', 'google-oidc', { 'client-secret': 's3cret\n' }), 'acme', ref, 'google');
    expect(result).toMatchObject({ ok: false, reason: 'SecretInvalid' });
    expect(!result.ok && result.message).not.toContain('s3cret');
  });
});

describe('staleIdentityProviders', () => {
  it('names the providers the service has and the spec no longer declares', () => {
    expect(staleIdentityProviders([resource(), resource({ name: 'github' })], [googleProvider()])).toEqual(['github']);
    expect(staleIdentityProviders([resource()], [])).toEqual(['google']);
    expect(staleIdentityProviders([], [googleProvider()])).toEqual([]);
  });
});

describe('tenantsReferencingSecret', () => {
  const tenant = (name: string, namespace: string, secretName?: string) =>
    ({ metadata: { name }, spec: { displayName: name, namespace, ...(secretName === undefined ? {} : { identityProviders: [googleProvider({ clientSecretRef: { name: secretName, key: 'k' } })] }) } }) as IdentityTenant;
  const tenants = [tenant('acme', 'acme', 'google-oidc'), tenant('other', 'other', 'google-oidc'), tenant('plain', 'acme')];

  it('maps a Secret to the tenants that reference it in their own namespace', () => {
    expect(tenantsReferencingSecret(tenants, 'acme', 'google-oidc')).toEqual(['acme']);
    expect(tenantsReferencingSecret(tenants, 'acme', 'billing-oauth')).toEqual([]);
    expect(tenantsWithSecretReferences(tenants)).toEqual(['acme', 'other']);
  });
});
