import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { celRules, type CelRuleName, type IdentityTenantAccounts, type IdentityTenantMfa } from '@lanyard/crd';
import { startOperatorTestEnv, type OperatorTestEnv } from '../support/operator-test-env.js';
import { billingClient, googleProvider, tenantManifest, webClient } from '../support/sample-tenant.js';

let env: OperatorTestEnv;

beforeAll(async () => {
  // No operator and no identity service: this is the API server's admission alone.
  env = await startOperatorTestEnv(() => 'http://127.0.0.1:9');
});
afterAll(async () => env?.close());

/** Creates (POST) an object as a user would; returns the HTTP status and the Status message. */
async function create(manifest: object): Promise<{ status: number; message: string }> {
  const response = await env.cluster.request('POST', '/apis/lanyard.dev/v1alpha1/identitytenants', { body: manifest });
  return { status: response.status, message: response.json<{ message?: string }>().message ?? '' };
}

async function update(name: string, mutate: (spec: Record<string, unknown>) => void): Promise<{ status: number; message: string }> {
  const current = (await env.cluster.request('GET', `/apis/lanyard.dev/v1alpha1/identitytenants/${name}`)).json<{ spec: Record<string, unknown> }>();
  mutate(current.spec);
  const response = await env.cluster.request('PUT', `/apis/lanyard.dev/v1alpha1/identitytenants/${name}`, { body: current });
  return { status: response.status, message: response.json<{ message?: string }>().message ?? '' };
}

const rejectedBy = (result: { status: number; message: string }, rule: CelRuleName) => {
  expect(result.status, result.message).toBe(422);
  expect(result.message).toContain(celRules[rule].message);
};

describe('IdentityTenant admission (structural schema + CEL rules on a real kube-apiserver)', () => {
  it('accepts a valid tenant, applying the defaults', async () => {
    const result = await env.cluster.request('POST', '/apis/lanyard.dev/v1alpha1/identitytenants', {
      body: tenantManifest('valid', {
        clients: [
          webClient({ redirectUris: ['https://app.example.test/cb', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'http://localhost:3000/cb'], tokenEndpointAuthMethod: 'none' }),
          billingClient({ tokenEndpointAuthMethod: 'client_secret_basic', rotation: { periodDays: 30, generation: 1 } }),
        ],
      }),
    });
    expect(result.status, result.text).toBe(201);
    expect(result.json<{ spec: { deletionPolicy: string } }>().spec.deletionPolicy).toBe('Delete');
  });

  it('rejects a tenant name that is not a DNS label (tenantNameIsDnsLabel)', async () => {
    rejectedBy(await create(tenantManifest('acme.corp')), 'tenantNameIsDnsLabel');
  });

  it('rejects two clients resolving to the same clientId (uniqueClientIds)', async () => {
    rejectedBy(await create(tenantManifest('dup', { clients: [webClient(), billingClient({ clientId: 'dup-web' })] })), 'uniqueClientIds');
  });

  it('rejects pkce: Optional on a Public client, accepts it (with client_secret_post) on a Confidential one (publicRequiresPkce)', async () => {
    rejectedBy(await create(tenantManifest('pub-pkce', { clients: [webClient({ pkce: 'Optional' })] })), 'publicRequiresPkce');
    const accepted = await create(tenantManifest('conf-pkce', { clients: [billingClient({ pkce: 'Optional', tokenEndpointAuthMethod: 'client_secret_post' })] }));
    expect(accepted.status, accepted.message).toBe(201);
  });

  it('rejects a Public client with auth method client_secret_basic, and a Confidential one with none (publicMeansAuthMethodNone)', async () => {
    rejectedBy(await create(tenantManifest('pub-auth', { clients: [webClient({ tokenEndpointAuthMethod: 'client_secret_basic' })] })), 'publicMeansAuthMethodNone');
    rejectedBy(await create(tenantManifest('conf-auth', { clients: [billingClient({ tokenEndpointAuthMethod: 'none' })] })), 'publicMeansAuthMethodNone');
  });

  it('rejects a Confidential client without a secret ref (confidentialNeedsSecret)', async () => {
    const { secret: _secret, ...noSecret } = billingClient();
    rejectedBy(await create(tenantManifest('no-secret', { clients: [noSecret] })), 'confidentialNeedsSecret');
  });

  it('rejects a Public client with a secret or a rotation (publicHasNoSecret)', async () => {
    rejectedBy(await create(tenantManifest('pub-secret', { clients: [webClient({ secret: { name: 'web-oauth' } })] })), 'publicHasNoSecret');
    rejectedBy(await create(tenantManifest('pub-rotation', { clients: [webClient({ rotation: { generation: 1 } })] })), 'publicHasNoSecret');
  });

  it('rejects client_credentials on a Public client (clientCredentialsNeedsConfidential)', async () => {
    rejectedBy(await create(tenantManifest('pub-cc', { clients: [webClient({ grantTypes: ['authorization_code', 'client_credentials'] })] })), 'clientCredentialsNeedsConfidential');
  });

  it('rejects authorization_code without a redirect URI (authorizationCodeNeedsRedirectUri)', async () => {
    rejectedBy(await create(tenantManifest('no-redirect', { clients: [webClient({ redirectUris: [] })] })), 'authorizationCodeNeedsRedirectUri');
  });

  it('rejects refresh_token without authorization_code (refreshTokenNeedsAuthorizationCode)', async () => {
    rejectedBy(await create(tenantManifest('refresh-only', { clients: [billingClient({ grantTypes: ['client_credentials', 'refresh_token'] })] })), 'refreshTokenNeedsAuthorizationCode');
  });

  it('rejects non-https, non-loopback, relative and fragment redirect URIs (redirectUriHttpsOrLoopback)', async () => {
    for (const uri of ['http://app.example.test/cb', 'https://app.example.test/cb#frag', '/relative', 'ftp://files.example.test/cb', 'http://127.0.0.2/cb']) {
      rejectedBy(await create(tenantManifest('bad-uri', { clients: [webClient({ redirectUris: [uri] })] })), 'redirectUriHttpsOrLoopback');
    }
    rejectedBy(await create(tenantManifest('bad-logout', { clients: [webClient({ postLogoutRedirectUris: ['http://app.example.test/'] })] })), 'redirectUriHttpsOrLoopback');
  });

  it('rejects changing spec.namespace (namespaceImmutable)', async () => {
    expect((await create(tenantManifest('immutable'))).status).toBe(201);
    rejectedBy(await update('immutable', (spec) => (spec.namespace = 'elsewhere')), 'namespaceImmutable');
  });

  it('rejects changing, adding or removing a clientId (clientIdImmutable)', async () => {
    rejectedBy(await update('immutable', (spec) => ((spec.clients as Array<Record<string, unknown>>)[1]!.clientId = 'renamed')), 'clientIdImmutable');
    expect((await create(tenantManifest('explicit-id', { clients: [billingClient({ clientId: 'billing-v1' })] }))).status).toBe(201);
    rejectedBy(await update('explicit-id', (spec) => delete (spec.clients as Array<Record<string, unknown>>)[0]!.clientId), 'clientIdImmutable');
  });

  it('rejects changing a client type (clientTypeImmutable)', async () => {
    rejectedBy(
      await update('immutable', (spec) => {
        const web = (spec.clients as Array<Record<string, unknown>>)[0]!;
        web.type = 'Confidential';
        web.secret = { name: 'web-oauth' };
      }),
      'clientTypeImmutable',
    );
  });

  it('accepts removing a client and re-adding it under a new name (names key the list)', async () => {
    const result = await update('immutable', (spec) => (spec.clients = [billingClient({ name: 'billing2' })]));
    expect(result.status, result.message).toBe(200);
  });

  it('bounds lists and strings', async () => {
    const many = Array.from({ length: 21 }, (_, i) => webClient({ name: `c${i}` }));
    expect((await create(tenantManifest('too-many', { clients: many }))).status).toBe(422);
    expect((await create(tenantManifest('long-name', { displayName: 'x'.repeat(201) }))).status).toBe(422);
    expect((await create(tenantManifest('many-uris', { clients: [webClient({ redirectUris: Array.from({ length: 21 }, (_, i) => `https://a.test/${i}`) })] }))).status).toBe(422);
  });

  it('accepts a full spec.accounts policy and stores it as given, without defaults', async () => {
    const accounts: IdentityTenantAccounts = {
      signup: 'InviteOnly',
      requireVerifiedEmail: false,
      passwordMinLength: 128,
      emailFromName: 'Acme Sign-in ✓',
      emailFromAddress: 'No-Reply+auth@mail.acme.example',
    };
    const result = await env.cluster.request('POST', '/apis/lanyard.dev/v1alpha1/identitytenants', { body: tenantManifest('accounts-ok', { accounts }) });
    expect(result.status, result.text).toBe(201);
    expect(result.json<{ spec: { accounts: unknown } }>().spec.accounts).toEqual(accounts);
    const partial = await env.cluster.request('POST', '/apis/lanyard.dev/v1alpha1/identitytenants', { body: tenantManifest('accounts-partial', { accounts: { passwordMinLength: 8 } }) });
    expect(partial.status, partial.text).toBe(201);
    expect(partial.json<{ spec: { accounts: unknown } }>().spec.accounts).toEqual({ passwordMinLength: 8 });
  });

  it('rejects a bad spec.accounts value: unknown signup, password length out of 8..128, control characters, a non-bare address', async () => {
    const rejected = async (accounts: Record<string, unknown>, field: string) => {
      const result = await create(tenantManifest('bad-accounts', { accounts: accounts as IdentityTenantAccounts }));
      expect(result.status, `${JSON.stringify(accounts)}: ${result.message}`).toBe(422);
      expect(result.message).toContain(`spec.accounts.${field}`);
    };
    await rejected({ signup: 'Sometimes' }, 'signup');
    await rejected({ signup: 'invite-only' }, 'signup'); // the admin API's spelling; the CRD's is InviteOnly
    await rejected({ passwordMinLength: 4 }, 'passwordMinLength');
    await rejected({ passwordMinLength: 129 }, 'passwordMinLength');
    await rejected({ passwordMinLength: 12.5 }, 'passwordMinLength');
    await rejected({ requireVerifiedEmail: 'yes' }, 'requireVerifiedEmail');
    await rejected({ emailFromName: 'Acme\nBcc: victim@evil.example' }, 'emailFromName');
    await rejected({ emailFromName: 'Acme\u0000' }, 'emailFromName');
    await rejected({ emailFromName: 'Acme\u007f' }, 'emailFromName');
    await rejected({ emailFromName: '' }, 'emailFromName');
    await rejected({ emailFromName: 'x'.repeat(101) }, 'emailFromName');
    await rejected({ emailFromAddress: 'Acme <no-reply@acme.example>' }, 'emailFromAddress');
    await rejected({ emailFromAddress: 'root@localhost' }, 'emailFromAddress');
    await rejected({ emailFromAddress: 'not an address' }, 'emailFromAddress');
    await rejected({ emailFromAddress: `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.example` }, 'emailFromAddress');
  });

  it('accepts a spec.mfa policy and a client\'s requireMfa and stores them as given, without defaults', async () => {
    const mfa: IdentityTenantMfa = { policy: 'Required', enrolmentGraceDays: 90 };
    const result = await env.cluster.request('POST', '/apis/lanyard.dev/v1alpha1/identitytenants', {
      body: tenantManifest('mfa-ok', { mfa, clients: [webClient({ requireMfa: true }), billingClient({ requireMfa: false })] }),
    });
    expect(result.status, result.text).toBe(201);
    const stored = result.json<{ spec: { mfa: unknown; clients: Array<Record<string, unknown>> } }>().spec;
    expect(stored.mfa).toEqual(mfa);
    expect(stored.clients.map((c) => c.requireMfa)).toEqual([true, false]);
    const partial = await env.cluster.request('POST', '/apis/lanyard.dev/v1alpha1/identitytenants', { body: tenantManifest('mfa-partial', { mfa: { enrolmentGraceDays: 0 } }) });
    expect(partial.status, partial.text).toBe(201);
    const partialSpec = partial.json<{ spec: { mfa: unknown; clients: Array<Record<string, unknown>> } }>().spec;
    expect(partialSpec.mfa).toEqual({ enrolmentGraceDays: 0 });
    for (const client of partialSpec.clients) expect(client).not.toHaveProperty('requireMfa');
  });

  it('rejects a bad spec.mfa value or requireMfa: unknown policy, grace period out of 0..90, a non-boolean', async () => {
    const rejected = async (mfa: Record<string, unknown>, field: string) => {
      const result = await create(tenantManifest('bad-mfa', { mfa: mfa as IdentityTenantMfa }));
      expect(result.status, `${JSON.stringify(mfa)}: ${result.message}`).toBe(422);
      expect(result.message).toContain(`spec.mfa.${field}`);
    };
    await rejected({ policy: 'Sometimes' }, 'policy');
    await rejected({ policy: 'required' }, 'policy'); // the admin API's spelling; the CRD's is Required
    await rejected({ enrolmentGraceDays: -1 }, 'enrolmentGraceDays');
    await rejected({ enrolmentGraceDays: 91 }, 'enrolmentGraceDays');
    await rejected({ enrolmentGraceDays: 1.5 }, 'enrolmentGraceDays');
    await rejected({ enrolmentGraceDays: '7' }, 'enrolmentGraceDays');
    const badFlag = await create(tenantManifest('bad-require-mfa', { clients: [webClient({ requireMfa: 'yes' as never })] }));
    expect(badFlag.status, badFlag.message).toBe(422);
    expect(badFlag.message).toContain('requireMfa');
  });

  it('accepts identity providers with Secret references, stored as given', async () => {
    const providers = [
      googleProvider({ displayName: 'Google', scopes: ['openid', 'email'], claims: { subject: 'oid' }, link: 'JustInTime', disabled: true }),
      googleProvider({ name: 'local', issuer: 'http://127.0.0.1:5556/dex', link: 'ExistingOnly' }),
      googleProvider({ name: 'v6', issuer: 'http://[::1]:8080', clientSecretRef: { name: 'dex.oidc', key: 'CLIENT_SECRET' } }),
    ];
    const result = await env.cluster.request('POST', '/apis/lanyard.dev/v1alpha1/identitytenants', { body: tenantManifest('idp-ok', { identityProviders: providers }) });
    expect(result.status, result.text).toBe(201);
    expect(result.json<{ spec: { identityProviders: unknown } }>().spec.identityProviders).toEqual(providers);
  });

  it('rejects a bad identity provider: duplicate name, non-https issuer, missing Secret reference or link, an inline secret', async () => {
    rejectedBy(await create(tenantManifest('idp-http', { identityProviders: [googleProvider({ issuer: 'http://accounts.example' })] })), 'issuerHttpsOrLoopback');
    rejectedBy(await create(tenantManifest('idp-query', { identityProviders: [googleProvider({ issuer: 'https://accounts.example/?x=1' })] })), 'issuerHttpsOrLoopback');
    const rejected = async (name: string, providers: unknown[], text: string) => {
      const result = await create(tenantManifest(name, { identityProviders: providers as never }));
      expect(result.status, result.message).toBe(422);
      expect(result.message).toContain(text);
    };
    await rejected('idp-dup', [googleProvider(), googleProvider({ clientId: 'other' })], 'Duplicate value');
    await rejected('idp-name', [googleProvider({ name: 'Google' })], 'spec.identityProviders[0].name');
    await rejected('idp-noref', [{ ...googleProvider(), clientSecretRef: undefined }], 'clientSecretRef');
    await rejected('idp-nokey', [googleProvider({ clientSecretRef: { name: 'google-oidc' } as never })], 'clientSecretRef.key');
    await rejected('idp-link', [googleProvider({ link: 'just-in-time' as never })], 'spec.identityProviders[0].link');
    await rejected('idp-nolink', [{ ...googleProvider(), link: undefined }], 'link');
    await rejected('idp-many', Array.from({ length: 21 }, (_, i) => googleProvider({ name: `p${i}` })), 'spec.identityProviders');
    // An inline secret is pruned by the structural schema (kubectl's strict field validation refuses it).
    const inline = await env.cluster.request('POST', '/apis/lanyard.dev/v1alpha1/identitytenants', { body: tenantManifest('idp-inline', { identityProviders: [{ ...googleProvider(), clientSecret: 'x' } as never] }) });
    expect(inline.status, inline.text).toBe(201);
    expect(inline.json<{ spec: { identityProviders: Array<Record<string, unknown>> } }>().spec.identityProviders[0]).not.toHaveProperty('clientSecret');
  });

  it('accepts the sample in examples/identitytenant.yaml', async () => {
    const sample = parse(readFileSync(new URL('../../../examples/identitytenant.yaml', import.meta.url), 'utf8')) as { metadata: { name: string } };
    const result = await create({ ...sample, metadata: { ...sample.metadata, name: 'example-sample' } });
    expect(result.status, result.message).toBe(201);
  });

  it('rejects an unknown enum value and a missing spec (structural schema)', async () => {
    expect((await create(tenantManifest('bad-policy', { deletionPolicy: 'Keep' as never }))).status).toBe(422);
    expect((await create({ apiVersion: 'lanyard.dev/v1alpha1', kind: 'IdentityTenant', metadata: { name: 'no-spec' } })).status).toBe(422);
  });
});
