import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line no-restricted-imports -- tests only: the real identity service as a fixture (never shipped)
import { startTestApi, type TestApi } from '../../../services/api/test/support/test-api.js';
import { metadataOnlyWatch } from '../../src/kube/metadata-only-watch.js';
import { identityService } from '../support/identity-service.js';
import { startOperatorTestEnv, type OperatorTestEnv } from '../support/operator-test-env.js';
import { googleProvider, tenantManifest } from '../support/sample-tenant.js';
import { waitFor } from '../support/wait-for.js';

/**
 * spec.identityProviders against the real admin API (`PUT/GET/DELETE
 * /admin/v1/tenants/{tenant}/identity-providers/{provider}`, packages/contracts
 * identity-providers.ts). The operator runs with the default hour-long resync, so every convergence
 * after a Secret change is the referenced-Secret watch's doing.
 */
let api: TestApi;
let env: OperatorTestEnv;
let upstream: Server;
let issuer: string;
const identity = identityService(() => api.baseUrl);
const fingerprint = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

const secretBody = (namespace: string, name: string, value: string) => ({
  metadata: { namespace, name },
  type: 'Opaque',
  stringData: { 'client-secret': value },
});
const readyCondition = async (name: string) => (await env.getTenant(name))?.status?.conditions?.find((c) => c.type === 'Ready');
const provider = (tenant: string, name: string) => identity.admin<{ clientSecretFingerprint: string | null; linking: string; displayName: string; callbackUrl: string }>('GET', `/tenants/${tenant}/identity-providers/${name}`);

beforeAll(async () => {
  // A loopback upstream with a discovery document, in case the identity service reads it on PUT.
  upstream = createServer((request, response) => {
    if (request.url === '/.well-known/openid-configuration') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ issuer, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`, response_types_supported: ['code'], subject_types_supported: ['public'], id_token_signing_alg_values_supported: ['RS256'] }));
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  api = await startTestApi({ listen: true });
  env = await startOperatorTestEnv(() => api.baseUrl);
  await env.createNamespace('acme');
  await env.createNamespace('beta');
  await env.startOperator();
});

afterAll(async () => {
  await env?.close();
  await api?.close();
  await new Promise((resolve) => upstream?.close(resolve));
});

describe('spec.identityProviders through the admin API', () => {
  it('registers a provider with the secret read from its Secret reference; Ready=True', async () => {
    await env.core.createNamespacedSecret({ namespace: 'acme', body: secretBody('acme', 'google-oidc', 'first-secret') });
    await env.applyTenant(tenantManifest('acme', { clients: [], identityProviders: [googleProvider({ issuer, displayName: 'Google', link: 'JustInTime' })] }));
    await waitFor(async () => (await readyCondition('acme'))?.status === 'True', 'acme to be Ready');

    const found = await provider('acme', 'google');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ displayName: 'Google', linking: 'just-in-time', clientSecretFingerprint: fingerprint('first-secret') });
    expect(found.body.callbackUrl).toBe(`${api.baseUrl}/tenants/acme/federation/google/callback`);
    expect(JSON.stringify(found.body)).not.toContain('first-secret');
  });

  it('updates the provider when the Secret is rotated (the fingerprint changes)', async () => {
    await env.core.replaceNamespacedSecret({ namespace: 'acme', name: 'google-oidc', body: secretBody('acme', 'google-oidc', 'rotated-secret') });
    await waitFor(async () => (await provider('acme', 'google')).body.clientSecretFingerprint === fingerprint('rotated-secret'), 'the provider to carry the rotated secret');
    expect((await readyCondition('acme'))?.status).toBe('True');
  });

  it('reports a missing Secret as Ready=False naming it, and converges once the Secret appears', async () => {
    await env.applyTenant(tenantManifest('beta', { clients: [], identityProviders: [googleProvider({ issuer, clientSecretRef: { name: 'missing-oidc', key: 'client-secret' } })] }));
    const ready = await waitFor(async () => {
      const c = await readyCondition('beta');
      return c?.status === 'False' && c.reason === 'SecretNotFound' ? c : undefined;
    }, 'beta to report SecretNotFound');
    expect(ready.message).toContain('beta/missing-oidc');
    expect(ready.message).toContain('"client-secret"');
    expect((await provider('beta', 'google')).status).toBe(404);

    await env.core.createNamespacedSecret({ namespace: 'beta', body: secretBody('beta', 'missing-oidc', 'late-secret') });
    await waitFor(async () => (await readyCondition('beta'))?.status === 'True', 'beta to be Ready once its Secret exists');
    expect((await provider('beta', 'google')).body.clientSecretFingerprint).toBe(fingerprint('late-secret'));
  });

  it('deletes a provider removed from the spec', async () => {
    await env.applyTenant(tenantManifest('acme', { clients: [], identityProviders: [] }));
    await waitFor(async () => (await provider('acme', 'google')).status === 404, 'the removed provider to be deleted');
    expect((await identity.admin<{ items: unknown[] }>('GET', '/tenants/acme/identity-providers')).body.items).toEqual([]);
  });

  it('watches Secrets for metadata only: with the operator RBAC, an event carries no Secret data', async () => {
    const events: Array<{ phase: string; object: Record<string, unknown> }> = [];
    const controller = await metadataOnlyWatch(env.operatorKubeConfig).watch(
      '/api/v1/namespaces/acme/secrets',
      { fieldSelector: 'metadata.name=unrelated-credentials' },
      (phase: string, object: Record<string, unknown>) => events.push({ phase, object }),
      () => undefined,
    );
    try {
      await env.core.createNamespacedSecret({ namespace: 'acme', body: { metadata: { name: 'unrelated-credentials', labels: { team: 'payments' } }, type: 'Opaque', stringData: { password: 'not-for-the-operator' } } });
      const added = await waitFor(async () => events.find((e) => e.phase === 'ADDED'), 'the watch to see the new Secret');
      expect(added.object).toMatchObject({ apiVersion: 'meta.k8s.io/v1', kind: 'PartialObjectMetadata', metadata: { namespace: 'acme', name: 'unrelated-credentials', labels: { team: 'payments' } } });
      expect(added.object).not.toHaveProperty('data');
      expect(added.object).not.toHaveProperty('stringData');
      expect(JSON.stringify(added.object)).not.toContain(Buffer.from('not-for-the-operator').toString('base64'));
    } finally {
      controller.abort();
    }
  });
});
