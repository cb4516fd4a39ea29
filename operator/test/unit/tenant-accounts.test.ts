import { TenantAccounts, TenantMfa, type TenantResource } from '@lanyard/contracts';
import { identityTenantCrd, type IdentityTenant, type IdentityTenantAccounts, type IdentityTenantMfa } from '@lanyard/crd';
import { describe, expect, it } from 'vitest';
import { desiredTenantAccounts, desiredTenantMfa, desiredTenantSpec } from '../../src/generators/desired-tenant-spec.js';
import { desiredClientSpec } from '../../src/generators/desired-client-spec.js';
import { tenantDrift } from '../../src/generators/tenant-drift.js';
import { reconcileTenant } from '../../src/reconcile/reconcile-tenant.js';
import { fakeReconcileContext } from '../support/fake-reconcile-context.js';
import { tenantManifest, webClient } from '../support/sample-tenant.js';

const fullPolicy: IdentityTenantAccounts = {
  signup: 'InviteOnly',
  requireVerifiedEmail: false,
  passwordMinLength: 16,
  emailFromName: 'Acme Sign-in',
  emailFromAddress: 'no-reply@acme.example',
};

const withAccounts = (accounts: IdentityTenantAccounts | undefined, generation = 1): IdentityTenant =>
  ({
    ...tenantManifest('acme', accounts === undefined ? {} : { accounts }),
    metadata: { name: 'acme', generation },
  }) as IdentityTenant;

const withMfa = (mfa: IdentityTenantMfa | undefined, generation = 1): IdentityTenant =>
  ({
    ...tenantManifest('acme', mfa === undefined ? {} : { mfa }),
    metadata: { name: 'acme', generation },
  }) as IdentityTenant;

const resource = (overrides: Partial<TenantResource> = {}): TenantResource => ({
  name: 'acme',
  displayName: 'Tenant acme',
  managedBy: 'lanyard-operator',
  rateLimits: {},
  accounts: {},
  mfa: {},
  issuer: 'https://id.example.test/tenants/acme',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...overrides,
});

describe('the spec.accounts schema mirrors the admin API TenantAccounts', () => {
  const crd = identityTenantCrd.spec.versions[0]!.schema.openAPIV3Schema.properties!.spec!.properties!.accounts!.properties!;
  const api = TenantAccounts.properties;

  it('has the same fields and bounds', () => {
    expect(Object.keys(crd)).toEqual(Object.keys(api));
    expect([crd.passwordMinLength!.minimum, crd.passwordMinLength!.maximum]).toEqual([api.passwordMinLength.minimum, api.passwordMinLength.maximum]);
    expect([crd.emailFromName!.minLength, crd.emailFromName!.maxLength]).toEqual([api.emailFromName.minLength, api.emailFromName.maxLength]);
    expect(crd.emailFromAddress!.maxLength).toBe(api.emailFromAddress.maxLength);
    expect(crd.emailFromAddress!.format).toBe('email');
    // Every CRD value maps to an API value, and every API value is reachable.
    expect(crd.signup!.enum!.map((v) => desiredTenantAccounts({ signup: v as never }).signup).sort()).toEqual(api.signup.anyOf.map((l) => l.const).sort());
  });

  it('refuses the control characters the API refuses (its pattern, in RE2 syntax)', () => {
    const crdPattern = new RegExp(crd.emailFromName!.pattern!, 'u');
    const apiPattern = new RegExp(api.emailFromName.pattern!, 'u');
    for (const value of ['Acme Sign-in', 'Ünïcödé ✓', 'a\nb', 'tab\there', 'nul\u0000', 'del\u007f', '\u001f', ' spaced ']) {
      expect(crdPattern.test(value), JSON.stringify(value)).toBe(apiPattern.test(value));
    }
  });

  it('accepts bare addresses only, as the API\'s format: email does (not Name <addr>, not a dotless domain)', () => {
    const pattern = new RegExp(crd.emailFromAddress!.pattern!, 'u');
    for (const ok of ['no-reply@acme.example', 'First.Last+tag@Mail.Acme.Example', "o'brien@x.example"]) expect(pattern.test(ok), ok).toBe(true);
    for (const bad of ['Acme <no-reply@acme.example>', 'root@localhost', 'a..b@acme.example', ' no-reply@acme.example', 'no-reply@acme.example\n', 'no-reply@-acme.example']) {
      expect(pattern.test(bad), bad).toBe(false);
    }
  });
});

describe('spec.accounts → the admin API TenantSpec.accounts', () => {
  it('maps the CamelCase signup values to the API values', () => {
    expect(desiredTenantAccounts({ signup: 'Open' })).toEqual({ signup: 'open' });
    expect(desiredTenantAccounts({ signup: 'InviteOnly' })).toEqual({ signup: 'invite-only' });
    expect(desiredTenantAccounts({ signup: 'Closed' })).toEqual({ signup: 'closed' });
  });

  it('carries every field as set, and fills in no default', () => {
    expect(desiredTenantSpec(withAccounts(fullPolicy))).toEqual({
      displayName: 'Tenant acme',
      managedBy: 'lanyard-operator',
      accounts: { signup: 'invite-only', requireVerifiedEmail: false, passwordMinLength: 16, emailFromName: 'Acme Sign-in', emailFromAddress: 'no-reply@acme.example' },
    });
    const partial = desiredTenantSpec(withAccounts({ passwordMinLength: 8 }));
    expect(partial.accounts).toEqual({ passwordMinLength: 8 });
    expect(Object.keys(partial.accounts!)).toEqual(['passwordMinLength']);
  });

  it('keeps false, which is a value and not an absence', () => {
    expect(desiredTenantAccounts({ requireVerifiedEmail: false })).toEqual({ requireVerifiedEmail: false });
  });

  it('leaves accounts out of the body when the spec has no policy (absent or empty)', () => {
    expect(desiredTenantSpec(withAccounts(undefined))).toEqual({ displayName: 'Tenant acme', managedBy: 'lanyard-operator' });
    expect(desiredTenantSpec(withAccounts({}))).not.toHaveProperty('accounts');
  });
});

describe('tenant drift', () => {
  const desired = desiredTenantSpec(withAccounts(fullPolicy));

  it('is none when the policy the API returns is the desired one, whatever the key order', () => {
    const reversed = Object.fromEntries(Object.entries(desired.accounts!).reverse());
    expect(tenantDrift(resource({ accounts: reversed }), desired)).toEqual([]);
    expect(tenantDrift(resource(), desiredTenantSpec(withAccounts(undefined)))).toEqual([]);
  });

  it('names each changed policy field', () => {
    expect(tenantDrift(resource({ accounts: { ...desired.accounts, signup: 'open' } }), desired)).toEqual(['accounts.signup']);
    expect(tenantDrift(resource({ accounts: { ...desired.accounts, passwordMinLength: 12, emailFromAddress: 'x@evil.example' } }), desired)).toEqual([
      'accounts.passwordMinLength',
      'accounts.emailFromAddress',
    ]);
    expect(tenantDrift(resource({ displayName: 'Renamed', accounts: desired.accounts! }), desired)).toEqual(['displayName']);
  });

  it('counts a field set by hand where the spec has none, and a field the spec sets that the API lacks', () => {
    expect(tenantDrift(resource({ accounts: { signup: 'open' } }), desiredTenantSpec(withAccounts(undefined)))).toEqual(['accounts.signup']);
    expect(tenantDrift(resource({ accounts: { signup: 'invite-only' } }), desiredTenantSpec(withAccounts({ signup: 'InviteOnly', requireVerifiedEmail: true })))).toEqual([
      'accounts.requireVerifiedEmail',
    ]);
  });

  it('treats a resource without accounts (an identity service that predates the field) as no policy', () => {
    const { accounts: _accounts, ...old } = resource();
    expect(tenantDrift(old as TenantResource, desiredTenantSpec(withAccounts(undefined)))).toEqual([]);
    expect(tenantDrift(old as TenantResource, desiredTenantSpec(withAccounts({ signup: 'Open' })))).toEqual(['accounts.signup']);
  });
});

describe('the account policy through whole reconciles on the in-memory fakes', () => {
  const tenantWrites = (writes: readonly string[]) => writes.filter((w) => w.startsWith('putTenant '));

  it('applies the policy, then stays quiet, re-applies a changed spec, repairs a hand edit and clears a removed policy', async () => {
    const fake = fakeReconcileContext();
    fake.kube.putTenant(withAccounts(fullPolicy, 1));
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.getTenant('acme'))?.accounts).toEqual(desiredTenantSpec(withAccounts(fullPolicy)).accounts);
    expect(tenantWrites(fake.identity.writes)).toEqual(['putTenant acme']);

    // Unchanged: no write at all.
    await reconcileTenant(fake.ctx, 'acme');
    expect(tenantWrites(fake.identity.writes)).toHaveLength(1);

    // A changed policy in the spec is applied.
    const current = (await fake.kube.getTenant('acme'))!;
    fake.kube.putTenant({ ...current, metadata: { ...current.metadata, generation: 2 }, spec: { ...current.spec, accounts: { ...fullPolicy, signup: 'Open', passwordMinLength: 20 } } });
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.getTenant('acme'))?.accounts).toMatchObject({ signup: 'open', passwordMinLength: 20 });
    expect(tenantWrites(fake.identity.writes)).toHaveLength(2);

    // Edited directly in the identity service (the displayName untouched): repaired.
    await fake.identity.putTenant('acme', { displayName: 'Tenant acme', managedBy: 'lanyard-operator', accounts: { signup: 'closed' } });
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.getTenant('acme'))?.accounts).toEqual({ ...desiredTenantAccounts(fullPolicy), signup: 'open', passwordMinLength: 20 });
    expect(tenantWrites(fake.identity.writes)).toHaveLength(4);
    await reconcileTenant(fake.ctx, 'acme');
    expect(tenantWrites(fake.identity.writes)).toHaveLength(4);

    // The policy removed from the spec: the declarative PUT leaves none set.
    const edited = (await fake.kube.getTenant('acme'))!;
    const { accounts: _accounts, ...specWithout } = edited.spec;
    fake.kube.putTenant({ ...edited, metadata: { ...edited.metadata, generation: 3 }, spec: specWithout });
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.getTenant('acme'))?.accounts).toEqual({});
    expect(tenantWrites(fake.identity.writes)).toHaveLength(5);
    const tenant = (await fake.kube.getTenant('acme'))!;
    expect(tenant.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', observedGeneration: 3 });
  });
});

describe('the spec.mfa schema mirrors the admin API TenantMfa', () => {
  const crd = identityTenantCrd.spec.versions[0]!.schema.openAPIV3Schema.properties!.spec!.properties!.mfa!.properties!;
  const api = TenantMfa.properties;

  it('has the same fields and bounds', () => {
    expect(Object.keys(crd)).toEqual(Object.keys(api));
    expect([crd.enrolmentGraceDays!.minimum, crd.enrolmentGraceDays!.maximum]).toEqual([api.enrolmentGraceDays.minimum, api.enrolmentGraceDays.maximum]);
    expect(crd.enrolmentGraceDays!.type).toBe('integer');
    // Every CRD value maps to an API value, and every API value is reachable.
    expect(crd.policy!.enum!.map((v) => desiredTenantMfa({ policy: v as never }).policy).sort()).toEqual(api.policy.anyOf.map((l) => l.const).sort());
  });
});

describe('spec.mfa → the admin API TenantSpec.mfa', () => {
  it('maps the CamelCase policy values to the API values', () => {
    expect(desiredTenantMfa({ policy: 'Optional' })).toEqual({ policy: 'optional' });
    expect(desiredTenantMfa({ policy: 'Required' })).toEqual({ policy: 'required' });
  });

  it('carries every field as set, and fills in no default', () => {
    expect(desiredTenantSpec(withMfa({ policy: 'Required', enrolmentGraceDays: 14 }))).toEqual({
      displayName: 'Tenant acme',
      managedBy: 'lanyard-operator',
      mfa: { policy: 'required', enrolmentGraceDays: 14 },
    });
    expect(Object.keys(desiredTenantSpec(withMfa({ policy: 'Required' })).mfa!)).toEqual(['policy']);
    expect(Object.keys(desiredTenantSpec(withMfa({ enrolmentGraceDays: 30 })).mfa!)).toEqual(['enrolmentGraceDays']);
  });

  it('keeps a grace period of 0, which is a value and not an absence', () => {
    expect(desiredTenantMfa({ policy: 'Required', enrolmentGraceDays: 0 })).toEqual({ policy: 'required', enrolmentGraceDays: 0 });
  });

  it('leaves mfa out of the body when the spec has no policy (absent or empty), next to accounts or alone', () => {
    expect(desiredTenantSpec(withMfa(undefined))).toEqual({ displayName: 'Tenant acme', managedBy: 'lanyard-operator' });
    expect(desiredTenantSpec(withMfa({}))).not.toHaveProperty('mfa');
    const both = desiredTenantSpec({ ...withAccounts({ signup: 'Open' }), spec: { ...withAccounts({ signup: 'Open' }).spec, mfa: { policy: 'Optional' } } });
    expect(both).toEqual({ displayName: 'Tenant acme', managedBy: 'lanyard-operator', accounts: { signup: 'open' }, mfa: { policy: 'optional' } });
  });
});

describe('tenant drift of the second-factor policy', () => {
  const desired = desiredTenantSpec(withMfa({ policy: 'Required', enrolmentGraceDays: 14 }));

  it('is none when the policy the API returns is the desired one, whatever the key order', () => {
    expect(tenantDrift(resource({ mfa: { enrolmentGraceDays: 14, policy: 'required' } }), desired)).toEqual([]);
    expect(tenantDrift(resource(), desiredTenantSpec(withMfa(undefined)))).toEqual([]);
  });

  it('names each changed field', () => {
    expect(tenantDrift(resource({ mfa: { policy: 'optional', enrolmentGraceDays: 14 } }), desired)).toEqual(['mfa.policy']);
    expect(tenantDrift(resource({ mfa: { policy: 'required', enrolmentGraceDays: 0 } }), desired)).toEqual(['mfa.enrolmentGraceDays']);
    expect(tenantDrift(resource({ accounts: { signup: 'open' }, mfa: {} }), desired)).toEqual(['accounts.signup', 'mfa.policy', 'mfa.enrolmentGraceDays']);
  });

  it('counts a field set by hand where the spec has none, and a field the spec sets that the API lacks', () => {
    expect(tenantDrift(resource({ mfa: { policy: 'required' } }), desiredTenantSpec(withMfa(undefined)))).toEqual(['mfa.policy']);
    expect(tenantDrift(resource({ mfa: { policy: 'required' } }), desired)).toEqual(['mfa.enrolmentGraceDays']);
  });

  it('treats a resource without mfa (an identity service that predates the field) as no policy', () => {
    const { mfa: _mfa, ...old } = resource();
    expect(tenantDrift(old as TenantResource, desiredTenantSpec(withMfa(undefined)))).toEqual([]);
    expect(tenantDrift(old as TenantResource, desiredTenantSpec(withMfa({ policy: 'Optional' })))).toEqual(['mfa.policy']);
  });
});

describe('the second-factor policy and a client\'s requireMfa through whole reconciles on the in-memory fakes', () => {
  const tenantWrites = (writes: readonly string[]) => writes.filter((w) => w.startsWith('putTenant '));
  const webWrites = (writes: readonly string[]) => writes.filter((w) => w === 'putClient acme/acme-web');

  it('applies both, then stays quiet, repairs hand edits and clears them when removed', async () => {
    const fake = fakeReconcileContext();
    const base = withMfa({ policy: 'Required', enrolmentGraceDays: 3 }, 1);
    fake.kube.putTenant({ ...base, spec: { ...base.spec, clients: [webClient({ requireMfa: true })] } });
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.getTenant('acme'))?.mfa).toEqual({ policy: 'required', enrolmentGraceDays: 3 });
    expect((await fake.identity.getClient('acme', 'acme-web'))?.requireMfa).toBe(true);
    expect(tenantWrites(fake.identity.writes)).toHaveLength(1);
    expect(webWrites(fake.identity.writes)).toHaveLength(1);

    // Unchanged: no write at all.
    await reconcileTenant(fake.ctx, 'acme');
    expect(tenantWrites(fake.identity.writes)).toHaveLength(1);
    expect(webWrites(fake.identity.writes)).toHaveLength(1);

    // Edited directly in the identity service: both repaired on the next reconcile.
    await fake.identity.putTenant('acme', { displayName: 'Tenant acme', managedBy: 'lanyard-operator', mfa: { policy: 'optional' } });
    await fake.identity.putClient('acme', 'acme-web', { ...desiredClientSpec(webClient()), requireMfa: false });
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.getTenant('acme'))?.mfa).toEqual({ policy: 'required', enrolmentGraceDays: 3 });
    expect((await fake.identity.getClient('acme', 'acme-web'))?.requireMfa).toBe(true);
    expect(tenantWrites(fake.identity.writes)).toHaveLength(3);
    expect(webWrites(fake.identity.writes)).toHaveLength(3);

    // Both removed from the spec: no policy set, and the client no longer requires a second factor.
    const current = (await fake.kube.getTenant('acme'))!;
    const { mfa: _mfa, ...specWithout } = current.spec;
    fake.kube.putTenant({ ...current, metadata: { ...current.metadata, generation: 2 }, spec: { ...specWithout, clients: [webClient()] } });
    await reconcileTenant(fake.ctx, 'acme');
    expect((await fake.identity.getTenant('acme'))?.mfa).toEqual({});
    expect((await fake.identity.getClient('acme', 'acme-web'))?.requireMfa).toBe(false);
    const tenant = (await fake.kube.getTenant('acme'))!;
    expect(tenant.status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True', observedGeneration: 2 });
  });
});
