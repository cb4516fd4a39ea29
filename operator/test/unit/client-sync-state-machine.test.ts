import type { V1Secret } from '@kubernetes/client-node';
import type { ClientResource, ClientSecretInfo } from '@lanyard/contracts';
import type { IdentityTenant, IdentityTenantClient } from '@lanyard/crd';
import { describe, expect, it } from 'vitest';
import { clientSecretManifest, type StoredCredential } from '../../src/generators/client-secret-manifest.js';
import type { ClientSyncAction } from '../../src/generators/client-sync-action.js';
import type { ClientSyncState } from '../../src/generators/client-sync-state.js';
import { desiredClientSpec } from '../../src/generators/desired-client-spec.js';
import { nextClientSyncAction } from '../../src/generators/next-client-sync-action.js';
import { secretFingerprint } from '../../src/generators/secret-fingerprint.js';
import { syncConfidentialClient } from '../../src/reconcile/sync-confidential-client.js';
import { fakeReconcileContext } from '../support/fake-reconcile-context.js';
import { billingClient } from '../support/sample-tenant.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY_MS = 86_400_000;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const ISSUER = 'https://id.example.test/tenants/acme';
const tenant: IdentityTenant = { apiVersion: 'lanyard.dev/v1alpha1', kind: 'IdentityTenant', metadata: { name: 'acme', uid: 'uid-acme' }, spec: { displayName: 'Acme', namespace: 'acme' } };
const owner = { apiVersion: 'lanyard.dev/v1alpha1', kind: 'IdentityTenant', name: 'acme', uid: 'uid-acme', controller: true, blockOwnerDeletion: true };

const STORED = 's'.repeat(43);
const PENDING = 'p'.repeat(43);
const GENERATED = 'g'.repeat(43);
const CURRENT_ID = '00000000-0000-4000-8000-00000000000c';
const OTHER_ID = '00000000-0000-4000-8000-00000000000o';
const NEW_ID = '00000000-0000-4000-8000-00000000000n';

const info = (id: string, createdAt: Date, expiresAt: Date | null = null): ClientSecretInfo => ({ id, createdAt: createdAt.toISOString(), expiresAt: expiresAt?.toISOString() ?? null });

/** The Secret as the operator wrote it (then read back: uid and resourceVersion set). */
function ownedSecret(credential: StoredCredential, client: IdentityTenantClient = billingClient()): V1Secret {
  const manifest = clientSecretManifest({ tenantName: 'acme', namespace: 'acme', secretName: 'billing-oauth', clientName: client.name, clientId: 'acme-billing', issuer: ISSUER, credential, owner });
  return { ...manifest, metadata: { ...manifest.metadata, uid: 'uid-secret', resourceVersion: '7' } };
}

/** A client registered exactly as desired, with these secrets. */
function registeredClient(secrets: ClientSecretInfo[], client: IdentityTenantClient = billingClient()): ClientResource {
  const desired = desiredClientSpec(client);
  return {
    tenant: 'acme',
    clientId: 'acme-billing',
    ...desired,
    displayName: desired.displayName ?? null,
    tokenLifetimes: {},
    firstParty: false,
    disabled: false,
    tokenEndpointAuthMethod: 'client_secret_basic',
    pkce: 'required',
    idTokenSignedResponseAlg: 'ES256',
    accessTokenSigningAlg: 'ES256',
    idTokenScopeClaims: false,
    requireMfa: false,
    secrets,
    createdAt: ago(100 * DAY_MS).toISOString(),
    updatedAt: ago(100 * DAY_MS).toISOString(),
  };
}

function state(overrides: Partial<ClientSyncState> & { spec?: IdentityTenantClient } = {}): ClientSyncState {
  const { spec = billingClient(), ...rest } = overrides;
  return {
    target: { tenant, client: spec, clientId: 'acme-billing', namespace: 'acme', secretName: 'billing-oauth', issuer: ISSUER },
    settings: { rotationDays: 90, rotationGraceSeconds: 86_400 },
    now: NOW,
    secret: undefined,
    client: { state: 'unread' },
    progress: { clientApplied: false, rotationStaged: false },
    ...rest,
  };
}

const present = (resource: ClientResource) => ({ state: 'present' as const, resource });
const progress = (p: Partial<ClientSyncState['progress']>) => ({ clientApplied: false, rotationStaged: false, ...p });
const decoded = (secret: V1Secret) => Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
const annotations = (secret: V1Secret) => secret.metadata?.annotations ?? {};
const manifestOf = (action: ClientSyncAction) => {
  if (!('manifest' in action)) throw new Error(`${action.kind} carries no manifest`);
  return action.manifest;
};

/** A steady state: the stored secret registered 10 days ago, its id recorded. */
const steady = (overrides: Partial<ClientSyncState> & { spec?: IdentityTenantClient } = {}) =>
  state({ secret: ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 }), client: present(registeredClient([info(CURRENT_ID, ago(10 * DAY_MS))])), ...overrides });

describe('a fresh tenant (no Secret, no client)', () => {
  it('draws a new secret first', () => {
    expect(nextClientSyncAction(state())).toEqual({ kind: 'generateSecret', purpose: 'replace' });
  });

  it('stores the drawn secret before anything else, unregistered (no id) and with the spec generation', () => {
    const action = nextClientSyncAction(state({ spec: billingClient({ rotation: { generation: 3 } }), progress: progress({ generated: GENERATED }) }));
    expect(action).toMatchObject({ kind: 'storeNewSecret', reason: 'missing' });
    const manifest = manifestOf(action);
    expect(decoded(manifest)).toEqual({ CLIENT_ID: 'acme-billing', CLIENT_SECRET: GENERATED, ISSUER_URL: ISSUER });
    expect(annotations(manifest)).toEqual({ 'lanyard.dev/client-secret-sha256': secretFingerprint(GENERATED), 'lanyard.dev/rotation-generation': '3' });
    expect(manifest.metadata?.ownerReferences).toEqual([owner]);
  });

  it('reads the client once the Secret holds a secret', () => {
    expect(nextClientSyncAction(state({ secret: ownedSecret({ value: STORED, rotationGeneration: 0 }) }))).toEqual({ kind: 'readClient' });
  });

  it('creates an absent client with the stored secret in the same request', () => {
    const action = nextClientSyncAction(state({ secret: ownedSecret({ value: STORED, rotationGeneration: 0 }), client: { state: 'absent' } }));
    expect(action).toEqual({ kind: 'createClient', spec: { ...desiredClientSpec(billingClient()), secret: STORED } });
  });

  it('after creating, registers the stored secret (idempotent) to learn its id', () => {
    const created = registeredClient([info(CURRENT_ID, NOW)]);
    const action = nextClientSyncAction(state({ secret: ownedSecret({ value: STORED, rotationGeneration: 0 }), client: present(created), progress: progress({ clientApplied: true }) }));
    expect(action).toEqual({ kind: 'registerSecret', value: STORED, slot: 'stored' });
  });

  it('records the id of the registration on the Secret', () => {
    const action = nextClientSyncAction(
      state({
        secret: ownedSecret({ value: STORED, rotationGeneration: 0 }),
        client: present(registeredClient([info(CURRENT_ID, NOW)])),
        progress: progress({ clientApplied: true, registration: { value: STORED, id: CURRENT_ID } }),
      }),
    );
    expect(action).toMatchObject({ kind: 'recordRegisteredId', secretId: CURRENT_ID });
    expect(decoded(manifestOf(action)).CLIENT_SECRET).toBe(STORED);
    expect(annotations(manifestOf(action))['lanyard.dev/client-secret-id']).toBe(CURRENT_ID);
  });

  it('is done once the id is recorded, waking up when the rotation period ends', () => {
    const action = nextClientSyncAction(
      state({ secret: ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 }), client: present(registeredClient([info(CURRENT_ID, NOW)])), progress: progress({ clientApplied: true }) }),
    );
    expect(action).toEqual({
      kind: 'done',
      status: { name: 'billing', clientId: 'acme-billing', ready: true, secretName: 'billing-oauth', secretCreatedAt: NOW.toISOString() },
      wakeAt: new Date(NOW.getTime() + 90 * DAY_MS),
    });
  });
});

describe('a Secret the operator does not own', () => {
  const conflict = {
    kind: 'conflict',
    message: 'Secret acme/billing-oauth exists and is not managed by lanyard-operator for client "billing"; it is left untouched. Delete it or choose another secret.name.',
  };

  it('is a conflict before anything is read or written, whatever else is observed', () => {
    const foreign: V1Secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'billing-oauth', namespace: 'acme', uid: 'uid-x' }, data: { CLIENT_SECRET: Buffer.from(STORED).toString('base64') } };
    expect(nextClientSyncAction(state({ secret: foreign }))).toEqual(conflict);
    expect(nextClientSyncAction(state({ secret: foreign, client: { state: 'absent' }, progress: progress({ generated: GENERATED }) }))).toEqual(conflict);
  });

  it('is a conflict when it is the operator’s Secret of another client or controlled by another IdentityTenant', () => {
    const otherClient = ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 }, billingClient({ name: 'payroll' }));
    expect(nextClientSyncAction(steady({ secret: otherClient }))).toEqual(conflict);
    const mine = ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 });
    const otherTenant = { ...mine, metadata: { ...mine.metadata, ownerReferences: [{ ...owner, uid: 'uid-other-acme' }] } };
    expect(nextClientSyncAction(steady({ secret: otherTenant }))).toEqual(conflict);
  });

  it('adopts an orphaned Secret of its own (labels, no controller reference) and puts the owner reference back', () => {
    const mine = ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 });
    const orphan = { ...mine, metadata: { ...mine.metadata, ownerReferences: [] } };
    const action = nextClientSyncAction(steady({ secret: orphan }));
    expect(action.kind).toBe('restoreSecretFields');
    expect(manifestOf(action).metadata?.ownerReferences).toEqual([owner]);
    expect(decoded(manifestOf(action)).CLIENT_SECRET).toBe(STORED);
  });
});

describe('an edited CLIENT_SECRET (fingerprint mismatch) is replaced, not restored', () => {
  const edited = (value: string, pending?: string) => {
    const secret = ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0, ...(pending === undefined ? {} : { pending }) });
    return { ...secret, data: { ...secret.data, CLIENT_SECRET: Buffer.from(value).toString('base64') } };
  };

  it('draws and stores a new secret (also when it was emptied)', () => {
    for (const value of ['x'.repeat(40), '']) {
      expect(nextClientSyncAction(steady({ secret: edited(value) }))).toEqual({ kind: 'generateSecret', purpose: 'replace' });
      const action = nextClientSyncAction(steady({ secret: edited(value), progress: progress({ generated: GENERATED }) }));
      expect(action).toMatchObject({ kind: 'storeNewSecret', reason: 'edited' });
      expect(decoded(manifestOf(action)).CLIENT_SECRET).toBe(GENERATED);
      expect(annotations(manifestOf(action))['lanyard.dev/client-secret-id']).toBeUndefined();
    }
  });

  it('uses a staged rotation secret instead of drawing one, and drops the pending key', () => {
    const action = nextClientSyncAction(steady({ secret: edited('x'.repeat(40), PENDING) }));
    expect(action).toMatchObject({ kind: 'storeNewSecret', reason: 'edited' });
    expect(decoded(manifestOf(action))).toEqual({ CLIENT_ID: 'acme-billing', CLIENT_SECRET: PENDING, ISSUER_URL: ISSUER });
  });
});

describe('the client in the identity service', () => {
  const stored = ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 });

  it('deletes a client of the wrong type, then creates it with the stored secret', () => {
    const publicOne: ClientResource = { ...registeredClient([]), type: 'public', tokenEndpointAuthMethod: 'none' };
    expect(nextClientSyncAction(state({ secret: stored, client: present(publicOne) }))).toEqual({ kind: 'deleteClientOfWrongType', actualType: 'public' });
    expect(nextClientSyncAction(state({ secret: stored, client: { state: 'absent' } }))).toEqual({ kind: 'createClient', spec: { ...desiredClientSpec(billingClient()), secret: STORED } });
  });

  it('re-applies a drifted client without any secret in the body', () => {
    const drifted = { ...registeredClient([info(CURRENT_ID, ago(DAY_MS))]), scopes: ['billing:admin'], firstParty: true };
    expect(nextClientSyncAction(state({ secret: stored, client: present(drifted) }))).toEqual({ kind: 'applyClientDrift', spec: desiredClientSpec(billingClient()), drift: ['scopes', 'firstParty'] });
  });

  it('does not count list order as drift', () => {
    const spec = billingClient({ scopes: ['b', 'a'] });
    const reordered = { ...registeredClient([info(CURRENT_ID, ago(DAY_MS))], spec), scopes: ['a', 'b'] };
    expect(nextClientSyncAction(steady({ spec, client: present(reordered) })).kind).toBe('done');
  });

  it('takes the client as the API returned it once it was applied in this sync (no PUT loop)', () => {
    const normalised = { ...registeredClient([info(CURRENT_ID, ago(DAY_MS))]), scopes: ['billing:READ'] };
    expect(nextClientSyncAction(state({ secret: stored, client: present(normalised), progress: progress({ clientApplied: true }) })).kind).toBe('done');
  });
});

describe('the stored secret must be registered', () => {
  it('registers it again when its id is no longer in the API (removed by hand), or was never recorded', () => {
    const goneFromApi = state({ secret: ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 }), client: present(registeredClient([])) });
    expect(nextClientSyncAction(goneFromApi)).toEqual({ kind: 'registerSecret', value: STORED, slot: 'stored' });
    const noId = state({ secret: ownedSecret({ value: STORED, rotationGeneration: 0 }), client: present(registeredClient([info(OTHER_ID, ago(DAY_MS))])) });
    expect(nextClientSyncAction(noId)).toEqual({ kind: 'registerSecret', value: STORED, slot: 'stored' });
  });

  it('records the new id after registering it', () => {
    const action = nextClientSyncAction(
      state({ secret: ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 }), client: present(registeredClient([info(NEW_ID, NOW)])), progress: progress({ registration: { value: STORED, id: NEW_ID } }) }),
    );
    expect(action).toMatchObject({ kind: 'recordRegisteredId', secretId: NEW_ID });
    expect(annotations(manifestOf(action))['lanyard.dev/client-secret-id']).toBe(NEW_ID);
  });
});

describe('making room: at most two secrets are active', () => {
  it('removes the oldest one before registering a third, then registers', () => {
    const two = [info(OTHER_ID, ago(2 * DAY_MS)), info(CURRENT_ID, ago(DAY_MS))];
    const secret = ownedSecret({ value: STORED, rotationGeneration: 0 });
    expect(nextClientSyncAction(state({ secret, client: present(registeredClient(two)) }))).toEqual({ kind: 'makeRoom', removeSecretId: OTHER_ID });
    expect(nextClientSyncAction(state({ secret, client: present(registeredClient(two.slice(1))) }))).toEqual({ kind: 'registerSecret', value: STORED, slot: 'stored' });
  });

  it('keeps the current secret when finishing a rotation, even when it is the oldest', () => {
    const two = [info(CURRENT_ID, ago(100 * DAY_MS)), info(OTHER_ID, ago(DAY_MS))];
    const staged = ownedSecret({ value: STORED, id: CURRENT_ID, pending: PENDING, rotationGeneration: 0 });
    expect(nextClientSyncAction(state({ secret: staged, client: present(registeredClient(two)) }))).toEqual({ kind: 'makeRoom', removeSecretId: OTHER_ID });
  });

  it('does not count expired secrets', () => {
    const expiredAndCurrent = [info(OTHER_ID, ago(20 * DAY_MS), ago(DAY_MS)), info(CURRENT_ID, ago(DAY_MS))];
    const staged = ownedSecret({ value: STORED, id: CURRENT_ID, pending: PENDING, rotationGeneration: 0 });
    expect(nextClientSyncAction(state({ secret: staged, client: present(registeredClient(expiredAndCurrent)) }))).toEqual({ kind: 'registerSecret', value: PENDING, slot: 'pending' });
  });
});

describe('rotation', () => {
  it('is due by period: draws the next secret, then stages it next to the current one', () => {
    const old = steady({ client: present(registeredClient([info(CURRENT_ID, ago(91 * DAY_MS))])) });
    expect(nextClientSyncAction(old)).toEqual({ kind: 'generateSecret', purpose: 'rotate' });
    const action = nextClientSyncAction({ ...old, progress: progress({ generated: GENERATED }) });
    expect(action).toMatchObject({ kind: 'stageRotation', reason: 'period' });
    expect(decoded(manifestOf(action))).toEqual({ CLIENT_ID: 'acme-billing', CLIENT_SECRET: STORED, PENDING_CLIENT_SECRET: GENERATED, ISSUER_URL: ISSUER });
    expect(annotations(manifestOf(action))).toMatchObject({ 'lanyard.dev/client-secret-id': CURRENT_ID, 'lanyard.dev/client-secret-sha256': secretFingerprint(STORED) });
  });

  it('follows the client’s own period over the operator default, and never rotates by period 0', () => {
    const monthly = billingClient({ rotation: { periodDays: 7 } });
    expect(nextClientSyncAction(steady({ spec: monthly })).kind).toBe('generateSecret');
    const never = billingClient({ rotation: { periodDays: 0 } });
    const action = nextClientSyncAction(steady({ spec: never, client: present(registeredClient([info(CURRENT_ID, ago(900 * DAY_MS))], never)) }));
    expect(action).toMatchObject({ kind: 'done' });
    expect(action).not.toHaveProperty('wakeAt');
  });

  it('is due by generation at once, and the staged Secret carries the new generation', () => {
    const spec = billingClient({ rotation: { generation: 2 } });
    const bumped = steady({ spec, secret: ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 1 }), client: present(registeredClient([info(CURRENT_ID, ago(60_000))], spec)), progress: progress({ generated: GENERATED }) });
    const action = nextClientSyncAction(bumped);
    expect(action).toMatchObject({ kind: 'stageRotation', reason: 'generation' });
    expect(annotations(manifestOf(action))['lanyard.dev/rotation-generation']).toBe('2');
  });

  it('stages at most one rotation per sync, even when the new secret is due again (clock ahead of the identity service)', () => {
    const dueAgain = steady({ client: present(registeredClient([info(CURRENT_ID, ago(91 * DAY_MS))])), progress: progress({ rotationStaged: true }) });
    const action = nextClientSyncAction(dueAgain);
    expect(action).toMatchObject({ kind: 'done', status: { ready: true } });
    expect(action).not.toHaveProperty('wakeAt');
  });
});

describe('finishing a staged rotation', () => {
  const staged = ownedSecret({ value: STORED, id: CURRENT_ID, pending: PENDING, rotationGeneration: 1 });

  it('registers the pending secret', () => {
    expect(nextClientSyncAction(state({ secret: staged, client: present(registeredClient([info(CURRENT_ID, ago(DAY_MS))])) }))).toEqual({ kind: 'registerSecret', value: PENDING, slot: 'pending' });
  });

  it('promotes it once registered: CLIENT_SECRET becomes the pending one with its id, the pending key goes, the generation stays', () => {
    const action = nextClientSyncAction(
      state({ secret: staged, client: present(registeredClient([info(CURRENT_ID, ago(DAY_MS)), info(NEW_ID, NOW)])), progress: progress({ registration: { value: PENDING, id: NEW_ID } }) }),
    );
    expect(action).toMatchObject({ kind: 'promotePending', secretId: NEW_ID, previousId: CURRENT_ID });
    expect(decoded(manifestOf(action))).toEqual({ CLIENT_ID: 'acme-billing', CLIENT_SECRET: PENDING, ISSUER_URL: ISSUER });
    expect(annotations(manifestOf(action))).toEqual({
      'lanyard.dev/client-secret-sha256': secretFingerprint(PENDING),
      'lanyard.dev/client-secret-id': NEW_ID,
      'lanyard.dev/rotation-generation': '1',
    });
  });
});

describe('superseded secrets', () => {
  const afterRotation = (now: Date) =>
    state({ now, secret: ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 }), client: present(registeredClient([info(OTHER_ID, ago(95 * DAY_MS)), info(CURRENT_ID, ago(3_600_000))])) });

  it('are kept during the grace period, which is when the sync wakes up next', () => {
    expect(nextClientSyncAction(afterRotation(NOW))).toMatchObject({ kind: 'done', wakeAt: new Date(NOW.getTime() - 3_600_000 + 86_400_000) });
  });

  it('are removed one by one once the grace period is over, then the sync is done', () => {
    const later = new Date(NOW.getTime() + DAY_MS);
    expect(nextClientSyncAction(afterRotation(later))).toEqual({ kind: 'removeStaleSecret', secretId: OTHER_ID });
    const removed = { ...afterRotation(later), client: present(registeredClient([info(CURRENT_ID, ago(3_600_000))])) };
    expect(nextClientSyncAction(removed)).toMatchObject({ kind: 'done', wakeAt: new Date(NOW.getTime() - 3_600_000 + 90 * DAY_MS) });
  });
});

describe('restoring edited Secret fields', () => {
  const withData = (key: string, value: string) => {
    const secret = ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 });
    return { ...secret, data: { ...secret.data, [key]: Buffer.from(value).toString('base64') } };
  };

  it('puts back an edited CLIENT_ID or ISSUER_URL and keeps the secret', () => {
    for (const key of ['CLIENT_ID', 'ISSUER_URL']) {
      const action = nextClientSyncAction(steady({ secret: withData(key, 'tampered') }));
      expect(action.kind).toBe('restoreSecretFields');
      expect(decoded(manifestOf(action))).toEqual({ CLIENT_ID: 'acme-billing', CLIENT_SECRET: STORED, ISSUER_URL: ISSUER });
      expect(annotations(manifestOf(action))['lanyard.dev/client-secret-id']).toBe(CURRENT_ID);
    }
  });

  it('leaves labels and annotations of others alone (no write)', () => {
    const secret = ownedSecret({ value: STORED, id: CURRENT_ID, rotationGeneration: 0 });
    const decorated = { ...secret, metadata: { ...secret.metadata, labels: { ...secret.metadata?.labels, team: 'billing' }, annotations: { ...secret.metadata?.annotations, 'reloader/match': 'true' } } };
    expect(nextClientSyncAction(steady({ secret: decorated })).kind).toBe('done');
  });
});

describe('nothing to do', () => {
  it('is done, with the status and the next rotation as the wake-up', () => {
    expect(nextClientSyncAction(steady())).toEqual({
      kind: 'done',
      status: { name: 'billing', clientId: 'acme-billing', ready: true, secretName: 'billing-oauth', secretCreatedAt: ago(10 * DAY_MS).toISOString() },
      wakeAt: new Date(ago(10 * DAY_MS).getTime() + 90 * DAY_MS),
    });
  });

  it('is done without a wake-up when nothing is scheduled', () => {
    expect(nextClientSyncAction(steady({ settings: { rotationDays: 0, rotationGraceSeconds: 60 } }))).not.toHaveProperty('wakeAt');
  });
});

describe('a crash between "Secret written" and "secret registered"', () => {
  it('registers exactly the stored value and never draws another one, whatever step it resumes at', () => {
    const written = ownedSecret({ value: STORED, rotationGeneration: 0 });
    // Resumed before the client was created, after it was created, after a registration got lost.
    const resumed = [
      state({ secret: written }),
      state({ secret: written, client: { state: 'absent' } }),
      state({ secret: written, client: present(registeredClient([])) }),
      state({ secret: written, client: present(registeredClient([info(CURRENT_ID, ago(60_000))])) }),
    ];
    const actions = resumed.map(nextClientSyncAction);
    expect(actions.map((a) => a.kind)).toEqual(['readClient', 'createClient', 'registerSecret', 'registerSecret']);
    expect(actions.filter((a) => a.kind === 'generateSecret')).toEqual([]);
    expect(actions[1]).toMatchObject({ spec: { secret: STORED } });
    expect(actions[2]).toMatchObject({ value: STORED });
    expect(actions[3]).toMatchObject({ value: STORED });
  });

  it('ends with the stored value registered and recorded when run against the fakes', async () => {
    const fake = fakeReconcileContext({ now: () => NOW });
    fake.kube.putApplied(ownedSecret({ value: STORED, rotationGeneration: 0 }));
    const outcome = await syncConfidentialClient(fake.ctx, tenant, billingClient(), ISSUER);
    expect(outcome.status.ready).toBe(true);
    expect(fake.generated).toEqual([]);
    expect(fake.identity.registeredValues('acme', 'acme-billing')).toEqual([STORED]);
    const secret = fake.kube.peekSecret('acme', 'billing-oauth')!;
    expect(decoded(secret).CLIENT_SECRET).toBe(STORED);
    expect(annotations(secret)['lanyard.dev/client-secret-id']).toBe(fake.identity.idOf('acme', 'acme-billing', STORED));
  });
});

describe('a crash after staging a rotation (PENDING written, not registered)', () => {
  const staged = ownedSecret({ value: STORED, id: CURRENT_ID, pending: PENDING, rotationGeneration: 1 });
  const spec = billingClient({ rotation: { generation: 1 } });

  it('finishes that same pending secret and never draws another one', () => {
    const registered = registeredClient([info(CURRENT_ID, ago(DAY_MS))], spec);
    expect(nextClientSyncAction(state({ spec, secret: staged }))).toEqual({ kind: 'readClient' });
    expect(nextClientSyncAction(state({ spec, secret: staged, client: present(registered) }))).toEqual({ kind: 'registerSecret', value: PENDING, slot: 'pending' });
    // The POST went through but its answer was lost, so both slots are taken: the registration that
    // is not current goes first (here the pending's own; nothing uses it yet), then it is registered again.
    const lost = state({ spec, secret: staged, client: present(registeredClient([info(CURRENT_ID, ago(DAY_MS)), info(NEW_ID, ago(1000))], spec)) });
    expect(nextClientSyncAction(lost)).toEqual({ kind: 'makeRoom', removeSecretId: NEW_ID });
  });

  it('ends with the pending secret as CLIENT_SECRET, registered, and the previous one still valid, when run against the fakes', async () => {
    const fake = fakeReconcileContext({ now: () => NOW });
    fake.identity.seedClient('acme', 'acme-billing', desiredClientSpec(spec), [{ value: STORED, createdAt: ago(DAY_MS) }]);
    const currentId = fake.identity.idOf('acme', 'acme-billing', STORED)!;
    fake.kube.putApplied(ownedSecret({ value: STORED, id: currentId, pending: PENDING, rotationGeneration: 1 }, spec));
    const outcome = await syncConfidentialClient(fake.ctx, tenant, spec, ISSUER);
    expect(outcome).toMatchObject({ status: { ready: true }, wakeAt: new Date(NOW.getTime() + DAY_MS) });
    expect(fake.generated).toEqual([]);
    expect(fake.identity.registeredValues('acme', 'acme-billing').sort()).toEqual([PENDING, STORED].sort());
    const secret = fake.kube.peekSecret('acme', 'billing-oauth')!;
    expect(decoded(secret)).toEqual({ CLIENT_ID: 'acme-billing', CLIENT_SECRET: PENDING, ISSUER_URL: ISSUER });
    expect(annotations(secret)['lanyard.dev/client-secret-id']).toBe(fake.identity.idOf('acme', 'acme-billing', PENDING));
  });
});
