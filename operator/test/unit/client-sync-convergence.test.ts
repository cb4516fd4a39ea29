import type { KubernetesObject, V1Secret } from '@kubernetes/client-node';
import type { IdentityTenant, IdentityTenantClient } from '@lanyard/crd';
import { describe, expect, it } from 'vitest';
import { clientSecretManifest } from '../../src/generators/client-secret-manifest.js';
import { desiredClientSpec } from '../../src/generators/desired-client-spec.js';
import { readStoredCredential } from '../../src/generators/read-stored-credential.js';
import type { ClientOutcome } from '../../src/reconcile/client-outcome.js';
import { MAX_CLIENT_SYNC_ACTIONS, syncConfidentialClient } from '../../src/reconcile/sync-confidential-client.js';
import { fakeReconcileContext, type FakeReconcile } from '../support/fake-reconcile-context.js';
import type { FakeWrite } from '../support/fake-write.js';
import { InMemoryKube } from '../support/in-memory-kube.js';
import { billingClient } from '../support/sample-tenant.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY_MS = 86_400_000;
const ISSUER = 'https://id.example.test/tenants/acme';
const tenant: IdentityTenant = { apiVersion: 'lanyard.dev/v1alpha1', kind: 'IdentityTenant', metadata: { name: 'acme', uid: 'uid-acme' }, spec: { displayName: 'Acme', namespace: 'acme' } };
const owner = { apiVersion: 'lanyard.dev/v1alpha1', kind: 'IdentityTenant', name: 'acme', uid: 'uid-acme', controller: true, blockOwnerDeletion: true };
const CASES = 400;

/** mulberry32: a seeded PRNG, so a failing case is reproducible from its seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    chance: (p: number) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
  };
}

class Crash extends Error {}

/** A world to sync in: the fakes, the spec, and what the checks need to know about it. */
interface World {
  readonly fake: FakeReconcile;
  readonly spec: IdentityTenantClient;
  /** The Secret is someone else's: nothing may be written at all. */
  foreign: boolean;
  /** The identity service's clock is behind the operator's (the integration test's "31 days ahead"). */
  readonly skewed: boolean;
  /** Crash plan of the current attempt: its n-th write fails, before or after taking effect. */
  crash?: { at: number; phase: 'before' | 'after' };
  writesThisAttempt: number;
  /** What the Secret and the registrations were before the write in progress. */
  before: { secret: V1Secret | undefined; registered: string[] };
}

/** Fakes whose every write goes through the invariant checks and the crash plan. */
function wiredWorld(spec: IdentityTenantClient, options: { settings?: { rotationDays: number; rotationGraceSeconds: number }; skewed?: boolean } = {}): World {
  const skewed = options.skewed ?? false;
  const w = { spec, foreign: false, skewed, writesThisAttempt: 0, before: { secret: undefined, registered: [] } } as unknown as World;
  const fake = fakeReconcileContext({
    ...(options.settings === undefined ? {} : { settings: options.settings }),
    now: () => NOW,
    identityNow: () => (skewed ? new Date(NOW.getTime() - 40 * DAY_MS) : NOW),
    onWrite: (write, phase) => onWrite(w, write, phase),
  });
  return Object.assign(w, { fake });
}

/** A random world: the Secret, the client and its registrations, the spec and the clocks. */
function randomWorld(seed: number): { w: World; story: string } {
  const r = prng(seed);
  const skewed = r.chance(0.15);
  const settings = { rotationDays: r.pick([0, 30, 90]), rotationGraceSeconds: r.pick([0, 3600, 86_400]) };
  const spec = billingClient({
    ...(r.chance(0.4) ? { rotation: { generation: r.int(0, 2), ...(r.chance(0.3) ? { periodDays: r.pick([0, 7]) } : {}) } } : {}),
    ...(r.chance(0.3) ? { scopes: ['billing:read', 'billing:write'] } : {}),
  });
  const w = wiredWorld(spec, { settings, skewed });
  const { fake } = w;
  const values = ['v1', 'v2', 'v3', 'v4'].map((v) => v.repeat(22));
  const story: string[] = [`settings ${JSON.stringify(settings)}`, `rotation ${JSON.stringify(spec.rotation ?? {})}`, skewed ? 'identity clock 40 d behind' : 'same clocks'];

  // The client: absent, public (wrong type), drifted or as desired; up to two active registrations and maybe an expired one.
  const clientKind = r.pick(['absent', 'public', 'drifted', 'desired', 'desired'] as const);
  const registrations: Array<{ value: string; createdAt: Date; expiresAt?: Date }> = [];
  if (clientKind === 'drifted' || clientKind === 'desired') {
    for (const value of values.slice(0, r.int(0, 2))) registrations.push({ value, createdAt: new Date(NOW.getTime() - r.pick([3_600_000, 2 * DAY_MS, 31 * DAY_MS, 100 * DAY_MS])) });
    // Expired on both clocks: with skewed clocks the two sides would disagree on which secrets count.
    if (r.chance(0.2)) registrations.push({ value: values[3]!, createdAt: new Date(NOW.getTime() - 50 * DAY_MS), expiresAt: new Date(NOW.getTime() - 41 * DAY_MS) });
    const desired = desiredClientSpec(spec);
    fake.identity.seedClient('acme', 'acme-billing', clientKind === 'drifted' ? { ...desired, scopes: ['billing:admin'], redirectUris: ['https://evil.example.test/cb'] } : desired, registrations);
  } else if (clientKind === 'public') {
    fake.identity.seedClient('acme', 'acme-billing', { ...desiredClientSpec(spec), type: 'public', grantTypes: ['authorization_code'] });
  }
  story.push(`client ${clientKind} with ${registrations.length} registrations`);

  // The Secret: absent, someone else's, or the operator's in any state a crash or an edit can leave.
  const secretKind = r.pick(['absent', 'foreign', 'owned', 'owned', 'owned', 'owned'] as const);
  if (secretKind === 'foreign') {
    fake.kube.put({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'billing-oauth', namespace: 'acme', labels: { team: 'billing' } }, data: { CLIENT_SECRET: Buffer.from(values[0]!).toString('base64') } } as V1Secret);
    w.foreign = true;
    return { w, story: [...story, 'foreign Secret'].join('; ') };
  }
  if (secretKind === 'owned') {
    const value = r.pick(values.slice(0, 3));
    // An id annotation is the true one, a stale one (removed in the API) or none (crash before recording it).
    // A hand-edited id naming another value's registration is outside the model: the ADR trusts the annotation.
    const trueId = fake.identity.idOf('acme', 'acme-billing', value);
    const id = r.pick([trueId, trueId, '00000000-0000-4000-8000-0000000000ff', undefined]);
    const pending = r.chance(0.3) ? r.pick(values.filter((v) => v !== value)) : undefined;
    const credential = { value, rotationGeneration: r.int(0, 2), ...(id === undefined ? {} : { id }), ...(pending === undefined ? {} : { pending }) };
    const manifest = clientSecretManifest({ tenantName: 'acme', namespace: 'acme', secretName: 'billing-oauth', clientName: 'billing', clientId: 'acme-billing', issuer: ISSUER, credential, owner });
    fake.kube.putApplied(manifest);
    const edit = r.pick(['none', 'none', 'none', 'secret', 'clientId', 'orphaned'] as const);
    if (edit !== 'none') {
      const stored = fake.kube.peekSecret('acme', 'billing-oauth')!;
      if (edit === 'secret') stored.data!.CLIENT_SECRET = Buffer.from('edited-by-hand'.repeat(3)).toString('base64');
      if (edit === 'clientId') stored.data!.CLIENT_ID = Buffer.from('tampered').toString('base64');
      if (edit === 'orphaned') delete stored.metadata!.ownerReferences;
      fake.kube.put(stored);
    }
    story.push(`owned Secret (value ${value.slice(0, 2)}, id ${id === trueId ? 'true' : id === undefined ? 'none' : 'stale'}, pending ${pending?.slice(0, 2) ?? 'none'}, generation ${credential.rotationGeneration}, edit ${edit})`);
  } else {
    story.push('no Secret');
  }
  return { w, story: story.join('; ') };
}

const decode = (secret: V1Secret | undefined, key: string) => {
  const raw = secret?.data?.[key];
  return raw === undefined ? undefined : Buffer.from(raw, 'base64').toString('utf8');
};

/** Checked around every write, so a violation is caught at the step that commits it. */
function onWrite(w: World, write: FakeWrite, phase: 'before' | 'after'): void {
  const { kube, identity } = w.fake;
  if (phase === 'before') {
    w.writesThisAttempt += 1;
    w.before = { secret: kube.peekSecret('acme', 'billing-oauth'), registered: identity.registeredValues('acme', 'acme-billing') };
    if (write.method === 'removeClientSecret') {
      // A superseded secret goes only after the grace period, or earlier only to make room for a third.
      const secrets = identity.peekClient('acme', 'acme-billing')?.secrets ?? [];
      const current = secrets.find((s) => s.id === readStoredCredential(w.before.secret).current?.id);
      const graceOver = current !== undefined && new Date(current.createdAt).getTime() + w.fake.ctx.settings.rotationGraceSeconds * 1000 <= NOW.getTime();
      const active = secrets.filter((s) => s.expiresAt === null || new Date(s.expiresAt) > NOW);
      expect(graceOver || active.length >= 2, 'a secret was removed during its grace period without a need for room').toBe(true);
    }
    if (w.crash?.at === w.writesThisAttempt && w.crash.phase === 'before') throw new Crash(`crash before ${write.method}`);
    return;
  }
  const secret = kube.peekSecret('acme', 'billing-oauth');
  const registered = identity.registeredValues('acme', 'acme-billing');
  if (w.foreign) throw new Error(`a foreign Secret's client was written: ${write.method} ${write.target}`);

  // Stored before registered: a value the identity service did not hold before is on the Secret now.
  for (const value of registered.filter((v) => !w.before.registered.includes(v))) {
    expect([decode(secret, 'CLIENT_SECRET'), decode(secret, 'PENDING_CLIENT_SECRET')], `${write.method} registered a secret that is not stored`).toContain(value);
  }
  if (write.system === 'kube' && write.target === 'Secret acme/billing-oauth') {
    const previous = readStoredCredential(w.before.secret);
    const now = readStoredCredential(secret);
    // A usable CLIENT_SECRET is only ever replaced by a registered one (promotion): consumers never read a broken one.
    if (previous.current !== undefined && now.current?.value !== previous.current.value) {
      expect(registered, `${write.method} replaced a usable CLIENT_SECRET by an unregistered one`).toContain(now.current?.value);
    }
    // A staged secret is kept until it is promoted: never dropped for another one.
    if (previous.pending !== undefined) expect([now.pending, now.current?.value], `${write.method} dropped the staged secret`).toContain(previous.pending);
  }
  if (w.crash?.at === w.writesThisAttempt && w.crash.phase === 'after') throw new Crash(`crash after ${write.method}`);
}

/** Syncs until an attempt finishes, crashing as planned in the first ones; each attempt starts from a fresh observation. */
async function converge(w: World, seed: number): Promise<{ outcome: ClientOutcome; crashes: number }> {
  const r = prng(seed * 7919);
  const crashes = r.int(0, 3);
  for (let attempt = 0; ; attempt++) {
    w.writesThisAttempt = 0;
    w.crash = attempt < crashes ? { at: r.int(1, 6), phase: r.pick(['before', 'after'] as const) } : undefined;
    try {
      return { outcome: await syncConfidentialClient(w.fake.ctx, tenant, w.spec, ISSUER), crashes };
    } catch (error) {
      if (!(error instanceof Crash)) throw error;
    }
  }
}

describe('following the decisions against in-memory Kubernetes and identity service', () => {
  it(`converges from any state, through crashes at any write, and keeps ADR 0002's invariants at every step (${CASES} seeded cases)`, async () => {
    for (let seed = 1; seed <= CASES; seed++) {
      const { w, story } = randomWorld(seed);
      const context = `seed ${seed}: ${story}`;
      const { outcome } = await converge(w, seed).catch((error: unknown) => {
        throw new Error(`${context}: ${String(error)}`, { cause: error });
      });
      const { kube, identity } = w.fake;

      if (w.foreign) {
        expect(outcome.problem?.reason, context).toBe('SecretConflict');
        expect([...kube.writes, ...identity.writes], context).toEqual([]);
        continue;
      }
      expect(outcome.status.ready, context).toBe(true);
      const secret = kube.peekSecret('acme', 'billing-oauth');
      const stored = readStoredCredential(secret);
      // Converged: CLIENT_SECRET is the operator's, registered under the recorded id, nothing staged.
      expect(stored.current, context).toBeDefined();
      expect(stored.pending, context).toBeUndefined();
      expect(stored.current!.id, context).toBe(identity.idOf('acme', 'acme-billing', stored.current!.value));
      expect(stored.rotationGeneration, context).toBe(w.spec.rotation?.generation ?? 0);
      expect(decode(secret, 'CLIENT_ID'), context).toBe('acme-billing');
      expect(decode(secret, 'ISSUER_URL'), context).toBe(ISSUER);
      expect(secret?.metadata?.ownerReferences, context).toEqual([owner]);
      const client = (await identity.getClient('acme', 'acme-billing'))!;
      expect(client.type, context).toBe('confidential');
      expect([...client.scopes].sort(), context).toEqual([...(w.spec.scopes ?? [])].sort());
      expect(outcome.status.secretCreatedAt, context).toBe(client.secrets.find((s) => s.id === stored.current!.id)!.createdAt);
      // Superseded registrations are only left while their grace period runs, and the sync wakes up for its end.
      if (client.secrets.length > 1) expect(outcome.wakeAt, context).toBeDefined();

      // Settled: the next sync changes nothing and writes nothing (unless the clocks disagree, see rotationStaged).
      if (!w.skewed) {
        const writes = kube.writes.length + identity.writes.length;
        const again = await syncConfidentialClient(w.fake.ctx, tenant, w.spec, ISSUER);
        expect(again, context).toEqual(outcome);
        expect(kube.writes.length + identity.writes.length, context).toBe(writes);
      }
    }
  });

  it('draws no secret at all when the stored one only needs registering, however often it crashes', async () => {
    for (let seed = 1; seed <= 50; seed++) {
      const w = wiredWorld(billingClient());
      const value = 'stored-before-the-crash'.repeat(2);
      w.fake.kube.putApplied(clientSecretManifest({ tenantName: 'acme', namespace: 'acme', secretName: 'billing-oauth', clientName: 'billing', clientId: 'acme-billing', issuer: ISSUER, credential: { value, rotationGeneration: 0 }, owner }));
      const { crashes } = await converge(w, seed);
      expect(w.fake.generated, `seed ${seed}, ${crashes} crashes`).toEqual([]);
      expect(w.fake.identity.registeredValues('acme', 'acme-billing')).toEqual([value]);
    }
  });

  it('stops with a clear error instead of looping when the observation never changes (a bug, not a state)', async () => {
    /** Acknowledges every apply and stores nothing, so the Secret never shows what was written. */
    class ForgetfulKube extends InMemoryKube {
      override async apply<T extends KubernetesObject>(manifest: T): Promise<T> {
        return (await this.getSecret(manifest.metadata?.namespace ?? '', manifest.metadata?.name ?? '')) as unknown as T;
      }
    }
    const fake = fakeReconcileContext({ now: () => NOW });
    const ctx = { ...fake.ctx, kube: new ForgetfulKube() };
    await expect(syncConfidentialClient(ctx, tenant, billingClient(), ISSUER)).rejects.toThrow(
      `bug: the sync of client acme-billing did not settle after ${MAX_CLIENT_SYNC_ACTIONS} actions (next: generateSecret; last: `,
    );
    expect(fake.generated.length).toBe(MAX_CLIENT_SYNC_ACTIONS / 2);
    expect(fake.identity.writes).toEqual([]);
  });
});
