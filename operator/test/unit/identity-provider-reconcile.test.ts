import { createHash } from 'node:crypto';
import type { IdentityTenant, IdentityTenantSpec } from '@lanyard/crd';
import { describe, expect, it } from 'vitest';
import { reconcileTenant } from '../../src/reconcile/reconcile-tenant.js';
import { fakeReconcileContext, type FakeReconcile } from '../support/fake-reconcile-context.js';
import { googleProvider, tenantManifest, userSecret } from '../support/sample-tenant.js';

const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);
let generation = 0;
/** `kubectl apply` of acme with this spec: a new generation, the status and finalizers kept. */
const declare = async (fake: FakeReconcile, spec: Partial<IdentityTenantSpec>) => {
  const current = await fake.kube.getTenant('acme');
  generation += 1;
  fake.kube.putTenant({ ...tenantManifest('acme', spec), ...(current === undefined ? {} : { status: current.status }), metadata: { ...(current?.metadata ?? {}), name: 'acme', generation } } as IdentityTenant);
};
const condition = async (fake: FakeReconcile, type: string) => (await fake.kube.getTenant('acme'))!.status!.conditions!.find((c) => c.type === type)!;
const identityWrites = (fake: FakeReconcile) => [...fake.identity.writes];

describe('identity providers on the in-memory fakes', () => {
  it('registers a provider from its Secret reference, writes nothing while the Secret is unchanged, and re-sends only a rotated secret', async () => {
    const fake = fakeReconcileContext();
    fake.kube.put(userSecret('acme', 'google-oidc', { 'client-secret': 's3cret' }));
    await declare(fake, { identityProviders: [googleProvider()] });
    await reconcileTenant(fake.ctx, 'acme');

    const [provider] = await fake.identity.listIdentityProviders('acme');
    expect(provider).toMatchObject({ name: 'google', displayName: 'google', linking: 'verified-email', clientSecretFingerprint: fingerprint('s3cret') });
    expect(fake.identity.peekProviderSecret('acme', 'google')).toBe('s3cret');
    expect(await condition(fake, 'IdentityProvidersReady')).toMatchObject({ status: 'True', reason: 'Synced' });
    expect(await condition(fake, 'Ready')).toMatchObject({ status: 'True' });
    expect(fake.lines.find((l) => l.msg === 'applying identity provider')).toMatchObject({ created: true, secretSent: true });
    expect(JSON.stringify(fake.lines)).not.toContain('s3cret');

    const before = identityWrites(fake);
    await reconcileTenant(fake.ctx, 'acme');
    expect(identityWrites(fake)).toEqual(before);

    fake.kube.put(userSecret('acme', 'google-oidc', { 'client-secret': 'rotated' }));
    await reconcileTenant(fake.ctx, 'acme');
    expect(identityWrites(fake)).toEqual([...before, 'putIdentityProvider acme/google']);
    expect((await fake.identity.listIdentityProviders('acme'))[0]!.clientSecretFingerprint).toBe(fingerprint('rotated'));
    expect(fake.identity.peekProviderSecret('acme', 'google')).toBe('rotated');
  });

  it('repairs a provider edited in the identity service without re-sending its secret', async () => {
    const fake = fakeReconcileContext();
    fake.kube.put(userSecret('acme', 'google-oidc', { 'client-secret': 's3cret' }));
    await declare(fake, { identityProviders: [googleProvider({ displayName: 'Google', scopes: ['openid', 'email'] })] });
    await reconcileTenant(fake.ctx, 'acme');
    fake.identity.seedIdentityProvider('acme', 'google', { displayName: 'Hacked', issuer: 'https://evil.example', clientId: 'x', linking: 'just-in-time', scopes: ['openid'] });

    await reconcileTenant(fake.ctx, 'acme');
    const [provider] = await fake.identity.listIdentityProviders('acme');
    expect(provider).toMatchObject({ displayName: 'Google', issuer: 'https://accounts.google.example', clientId: 'acme-at-google', linking: 'verified-email', scopes: ['openid', 'email'] });
    // The stored secret was kept (absent clientSecret), so the fingerprint still matches.
    expect(provider!.clientSecretFingerprint).toBe(fingerprint('s3cret'));
    expect(fake.lines.filter((l) => l.msg === 'applying identity provider').at(-1)).toMatchObject({ created: false, secretSent: false, drift: ['displayName', 'issuer', 'clientId', 'linking', 'scopes'] });
  });

  it('deletes providers the spec no longer declares', async () => {
    const fake = fakeReconcileContext();
    fake.kube.put(userSecret('acme', 'google-oidc', { 'client-secret': 's3cret' }));
    await declare(fake, { identityProviders: [googleProvider(), googleProvider({ name: 'github' })] });
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.listIdentityProviders('acme')).map((p) => p.name)).toEqual(['github', 'google']);

    await declare(fake, { identityProviders: [googleProvider()] });
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.listIdentityProviders('acme')).map((p) => p.name)).toEqual(['google']);
    expect(fake.identity.writes).toContain('deleteIdentityProvider acme/github');

    await declare(fake, { identityProviders: [] });
    await reconcileTenant(fake.ctx, 'acme');
    expect(await fake.identity.listIdentityProviders('acme')).toEqual([]);
    expect(await fake.identity.deleteIdentityProvider('acme', 'google')).toBe(false);
  });

  it('reports a missing Secret or key as Ready=False SecretNotFound naming it, keeps the rest reconciling, and converges once it appears', async () => {
    const fake = fakeReconcileContext();
    fake.kube.put(userSecret('acme', 'github-oidc', { 'client-secret': 'gh' }));
    await declare(fake, { identityProviders: [googleProvider(), googleProvider({ name: 'github', clientSecretRef: { name: 'github-oidc', key: 'client-secret' } })] });
    const result = await reconcileTenant(fake.ctx, 'acme');

    expect(result.retry).toBe(true);
    const ready = await condition(fake, 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    expect(ready.message).toContain('acme/google-oidc');
    expect(ready.message).toContain('"client-secret"');
    expect(await condition(fake, 'ClientsReady')).toMatchObject({ status: 'True' });
    expect(await condition(fake, 'SecretsReady')).toMatchObject({ status: 'True' });
    expect((await fake.identity.listIdentityProviders('acme')).map((p) => p.name)).toEqual(['github']);
    expect(fake.events).toEqual(['Warning/SecretNotFound']);

    fake.kube.put(userSecret('acme', 'google-oidc', { wrong: 'x' }));
    await reconcileTenant(fake.ctx, 'acme');
    expect((await condition(fake, 'Ready')).message).toContain('acme/google-oidc has no key "client-secret"');

    fake.kube.put(userSecret('acme', 'google-oidc', { 'client-secret': 's3cret' }));
    expect((await reconcileTenant(fake.ctx, 'acme')).retry).toBeUndefined();
    expect(await condition(fake, 'Ready')).toMatchObject({ status: 'True', reason: 'Reconciled' });
    expect((await fake.identity.listIdentityProviders('acme')).map((p) => p.clientSecretFingerprint)).toEqual([fingerprint('gh'), fingerprint('s3cret')]);
  });

  it('keeps a declared provider whose Secret went away, neither writing nor deleting it', async () => {
    const fake = fakeReconcileContext();
    fake.kube.put(userSecret('acme', 'google-oidc', { 'client-secret': 's3cret' }));
    await declare(fake, { identityProviders: [googleProvider()] });
    await reconcileTenant(fake.ctx, 'acme');
    await fake.kube.delete(fake.kube.peekSecret('acme', 'google-oidc')!);

    const before = identityWrites(fake);
    await reconcileTenant(fake.ctx, 'acme');
    expect(identityWrites(fake)).toEqual(before);
    expect(await fake.identity.listIdentityProviders('acme')).toHaveLength(1);
    expect(await condition(fake, 'IdentityProvidersReady')).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
  });
});
