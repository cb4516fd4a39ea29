import { describe, expect, it } from 'vitest';
import type { V1Secret } from '@kubernetes/client-node';
import { clientSecretManifest } from '../../src/generators/client-secret-manifest.js';
import { generateClientSecret } from '../../src/generators/generate-client-secret.js';
import { SECRET_FIELDS } from '../../src/generators/managed-fields.js';
import { needsApply } from '../../src/generators/needs-apply.js';
import { orphanManifest } from '../../src/generators/orphan-manifest.js';
import { ownsObject } from '../../src/generators/owns-object.js';
import { readStoredCredential } from '../../src/generators/read-stored-credential.js';
import { secretFingerprint } from '../../src/generators/secret-fingerprint.js';

const owner = { apiVersion: 'lanyard.dev/v1alpha1', kind: 'IdentityTenant', name: 'acme', uid: 'uid-1', controller: true, blockOwnerDeletion: true };
const tenant = { apiVersion: 'lanyard.dev/v1alpha1', kind: 'IdentityTenant', metadata: { name: 'acme', uid: 'uid-1' }, spec: { displayName: 'Acme', namespace: 'acme' } } as const;
const input = {
  tenantName: 'acme',
  namespace: 'acme',
  secretName: 'billing-oauth',
  clientName: 'billing',
  clientId: 'acme-billing',
  issuer: 'https://id.example.test/tenants/acme',
  credential: { value: 'v'.repeat(43), id: '5f1c7a8e-0000-4000-8000-000000000001', rotationGeneration: 2 },
  owner,
};
const decode = (s: V1Secret, key: string) => Buffer.from(s.data![key]!, 'base64').toString('utf8');

describe('client Secret manifest', () => {
  it('holds CLIENT_ID, CLIENT_SECRET and ISSUER_URL, the managed-by label, the owner and the bookkeeping annotations', () => {
    const secret = clientSecretManifest(input);
    expect(Object.keys(secret.data!).sort()).toEqual(['CLIENT_ID', 'CLIENT_SECRET', 'ISSUER_URL']);
    expect(decode(secret, 'CLIENT_ID')).toBe('acme-billing');
    expect(decode(secret, 'ISSUER_URL')).toBe('https://id.example.test/tenants/acme');
    expect(secret.metadata).toMatchObject({
      name: 'billing-oauth',
      namespace: 'acme',
      labels: { 'app.kubernetes.io/managed-by': 'lanyard-operator', 'lanyard.dev/tenant': 'acme', 'lanyard.dev/client': 'billing' },
      annotations: { 'lanyard.dev/client-secret-sha256': secretFingerprint('v'.repeat(43)), 'lanyard.dev/client-secret-id': input.credential.id, 'lanyard.dev/rotation-generation': '2' },
      ownerReferences: [owner],
    });
  });

  it('stages a rotation secret under PENDING_CLIENT_SECRET, keeping the registered one as CLIENT_SECRET', () => {
    const secret = clientSecretManifest({ ...input, credential: { ...input.credential, pending: 'p'.repeat(43) } });
    expect(decode(secret, 'CLIENT_SECRET')).toBe('v'.repeat(43));
    expect(decode(secret, 'PENDING_CLIENT_SECRET')).toBe('p'.repeat(43));
  });

  it('reads back what it wrote', () => {
    expect(readStoredCredential(clientSecretManifest(input))).toEqual({ current: { value: 'v'.repeat(43), id: input.credential.id }, rotationGeneration: 2 });
    const staged = readStoredCredential(clientSecretManifest({ ...input, credential: { ...input.credential, pending: 'p'.repeat(43) } }));
    expect(staged.pending).toBe('p'.repeat(43));
  });

  it('treats an edited CLIENT_SECRET, and a missing Secret, as having no current secret', () => {
    const edited = clientSecretManifest(input);
    edited.data!.CLIENT_SECRET = Buffer.from('hand-edited').toString('base64');
    expect(readStoredCredential(edited).current).toBeUndefined();
    expect(readStoredCredential(undefined)).toEqual({ rotationGeneration: 0 });
  });

  it('generates 256-bit secrets, never the same twice', () => {
    const a = generateClientSecret();
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(generateClientSecret()).not.toBe(a);
  });
});

describe('needsApply (compare before server-side apply)', () => {
  const desired = clientSecretManifest(input);
  const live = (): V1Secret => ({ ...structuredClone(desired), metadata: { ...structuredClone(desired.metadata), resourceVersion: '7', labels: { ...desired.metadata!.labels, team: 'x' }, annotations: { ...desired.metadata!.annotations, 'other/annotation': 'y' } } });

  it('is false for the live object, including others\' labels and annotations', () => {
    expect(needsApply(desired, live(), SECRET_FIELDS)).toBe(false);
  });

  it('is true when absent, when a managed key or label changed, when a managed key must go, or the owner is missing', () => {
    expect(needsApply(desired, undefined, SECRET_FIELDS)).toBe(true);
    const editedId = live();
    editedId.data!.CLIENT_ID = Buffer.from('tampered').toString('base64');
    expect(needsApply(desired, editedId, SECRET_FIELDS)).toBe(true);
    const stale = live();
    stale.data!.PENDING_CLIENT_SECRET = 'cA==';
    expect(needsApply(desired, stale, SECRET_FIELDS)).toBe(true);
    const unlabelled = live();
    delete unlabelled.metadata!.labels!['app.kubernetes.io/managed-by'];
    expect(needsApply(desired, unlabelled, SECRET_FIELDS)).toBe(true);
    const orphan = live();
    orphan.metadata!.ownerReferences = [];
    expect(needsApply(desired, orphan, SECRET_FIELDS)).toBe(true);
  });

  it('orphaning keeps data, labels and annotations and drops only the owner reference', () => {
    const orphaned = orphanManifest(live(), SECRET_FIELDS);
    expect(orphaned.metadata?.ownerReferences).toBeUndefined();
    expect(orphaned.data).toEqual(desired.data);
    expect(orphaned.metadata?.annotations).toEqual(desired.metadata?.annotations);
    expect(orphaned.metadata?.labels).toEqual(desired.metadata?.labels);
    expect(needsApply(orphaned, live(), SECRET_FIELDS)).toBe(true);
    expect(needsApply(orphaned, { ...live(), metadata: { ...live().metadata, ownerReferences: [] } }, SECRET_FIELDS)).toBe(false);
  });
});

describe('ownsObject (never overwrite what is not ours)', () => {
  const secret = clientSecretManifest(input);
  it('owns its own Secret, and one orphaned by an earlier incarnation of the tenant', () => {
    expect(ownsObject(secret, tenant as never, 'billing')).toBe(true);
    expect(ownsObject({ ...secret, metadata: { ...secret.metadata, ownerReferences: [] } }, tenant as never, 'billing')).toBe(true);
  });
  it('does not own a foreign Secret, another tenant\'s, another client\'s or one controlled by another incarnation', () => {
    expect(ownsObject({ metadata: { name: 'billing-oauth', labels: { team: 'payments' } } }, tenant as never, 'billing')).toBe(false);
    expect(ownsObject(secret, { ...tenant, metadata: { name: 'other', uid: 'uid-1' } } as never, 'billing')).toBe(false);
    expect(ownsObject(secret, tenant as never, 'web')).toBe(false);
    expect(ownsObject(secret, { ...tenant, metadata: { name: 'acme', uid: 'uid-2' } } as never, 'billing')).toBe(false);
  });
});
