import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { MAINTENANCE_JOBS, QUEUES } from '@lanyard/contracts';
import { signingKeys, tenants } from '@lanyard/db';
import { deriveKey, EnvelopeCipher } from '@lanyard/security';
import { MAX_SIGNED_TOKEN_LIFETIME_SECONDS, rotateSigningKeys, SIGNING_ALGS, SigningKeyRing, type SigningAlg } from '@lanyard/signing-keys';
import { jobsTotal } from '../../../support/job-metrics.js';
import { seedTenant } from '../../../support/seed-rows.js';
import { startTestWorker, type TestWorker } from '../../../support/test-worker.js';
import { waitForJob } from '../../../support/wait-for-job.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const T0 = new Date('2031-01-01T00:00:00Z');

interface KeyRow {
  kid: string;
  alg: string;
  activates_at: Date;
  retired_at: Date | null;
  expires_at: Date | null;
}

const counts = (created: number, retired: number, removed: number) => ({ created, retired, removed });

describe('maintenance/rotate-keys with a movable clock', () => {
  // A worker (database, queues, clock) per test: each test moves the clock from T0 on its own.
  let worker: TestWorker;
  beforeEach(async () => {
    // The defaults: rotate every 30 days, publish a successor an hour ahead.
    worker = await startTestWorker({ env: { SIGNING_KEY_ROTATION_DAYS: '30', SIGNING_KEY_PUBLISH_AHEAD_SECONDS: '3600' } });
    await seedTenant(worker.database, 'acme');
    await seedTenant(worker.database, 'globex');
  });
  afterEach(() => worker.close());

  const keysOf = async (tenant: string, alg?: SigningAlg) =>
    (
      await worker.database.query<KeyRow>(
        `select kid, alg, activates_at, retired_at, expires_at from signing_keys k join tenants t on t.id = k.tenant_id
         where t.name = $1 and ($2::text is null or k.alg = $2) order by alg, activates_at`,
        [tenant, alg ?? null],
      )
    ).rows;

  const cipherOf = (w: TestWorker) => new EnvelopeCipher(deriveKey(w.config.KEY_ENCRYPTION_KEY, 'signing-key-encryption'));
  /** The tenant's keys as the API loads them: decrypted with the same KEY_ENCRYPTION_KEY. */
  const ringOf = async (tenant: string) => {
    const cipher = cipherOf(worker);
    const rows = await worker.ctx.database.db
      .select({ key: signingKeys })
      .from(signingKeys)
      .innerJoin(tenants, eq(tenants.id, signingKeys.tenantId))
      .where(eq(tenants.name, tenant));
    return new SigningKeyRing(
      rows.map((r) => r.key),
      cipher,
    );
  };

  const rotateAt = async (now: Date, attempts = 1) => {
    worker.clock.now = now;
    const job = await worker.ctx.queues.maintenance.add(MAINTENANCE_JOBS.rotateKeys, {}, { attempts, backoff: { type: 'fixed', delay: 100 } });
    return waitForJob(worker.ctx.queues.maintenance, job.id!, ['completed', 'failed']);
  };
  const rotatedLine = (jobId: string | undefined, tenant: string, alg: SigningAlg) =>
    worker.logs.find((l) => l.jobId === jobId && l.tenant === tenant && l.alg === alg && l.msg === 'signing keys rotated');

  it('gives a tenant without keys one key per algorithm, each signing immediately and published', async () => {
    const done = await rotateAt(T0);
    expect(done.returnvalue).toEqual({
      tenants: 2,
      created: 4,
      retired: 0,
      removed: 0,
      byAlg: { ES256: counts(2, 0, 0), RS256: counts(2, 0, 0) },
      failed: [],
    });
    for (const tenant of ['acme', 'globex']) {
      const keys = await keysOf(tenant);
      expect(keys.map((k) => k.alg)).toEqual(['ES256', 'RS256']);
      for (const key of keys) expect(key).toMatchObject({ activates_at: T0, retired_at: null, expires_at: null });
      const ring = await ringOf(tenant);
      expect(ring.signingKey(T0, 'ES256')).toMatchObject({ kid: keys[0]!.kid, alg: 'ES256' });
      expect(ring.signingKey(T0, 'RS256')).toMatchObject({ kid: keys[1]!.kid, alg: 'RS256' });
      expect(ring.jwks.keys.map((k) => [k.kty, k.alg, k.kid])).toEqual([
        ['EC', 'ES256', keys[0]!.kid],
        ['RSA', 'RS256', keys[1]!.kid],
      ]);
    }
    for (const alg of SIGNING_ALGS) {
      expect(rotatedLine(done.id, 'acme', alg)).toMatchObject({
        created: { kid: (await keysOf('acme', alg))[0]!.kid, activatesAt: T0.toISOString() },
        retired: [],
        removed: [],
      });
    }
    expect(worker.logs.find((l) => l.jobId === done.id && l.msg === 'signing keys checked')).toMatchObject({
      tenants: 2,
      created: 4,
      byAlg: { ES256: counts(2, 0, 0), RS256: counts(2, 0, 0) },
    });
  });

  it('changes nothing while the keys are young', async () => {
    expect((await rotateAt(T0)).returnvalue).toMatchObject({ created: 4 }); // the first keys, signing from T0
    const done = await rotateAt(new Date(T0.getTime() + 10 * DAY_MS));
    expect(done.returnvalue).toMatchObject({ created: 0, retired: 0, removed: 0 });
    expect(await keysOf('acme')).toHaveLength(2);
    expect(worker.logs.filter((l) => l.jobId === done.id && l.msg === 'signing keys rotated')).toEqual([]);
  });

  it.each(SIGNING_ALGS)('%s: publishes a successor ahead of its activation, then retires the old key, then removes it', async (alg) => {
    expect((await rotateAt(T0)).returnvalue).toMatchObject({ created: 4 }); // the first keys, signing from T0
    const [first] = await keysOf('acme', alg);

    // Inside the publish-ahead window before the 30-day mark: a successor is published, not yet signing.
    const dueSoon = new Date(T0.getTime() + 30 * DAY_MS - HOUR_MS + 60_000);
    expect((await rotateAt(dueSoon)).returnvalue.byAlg[alg]).toEqual(counts(2, 0, 0));
    const published = await keysOf('acme', alg);
    expect(published).toHaveLength(2);
    const successor = published.find((k) => k.kid !== first!.kid)!;
    expect(successor.activates_at).toEqual(new Date(T0.getTime() + 30 * DAY_MS + 60_000));
    expect(published.find((k) => k.kid === first!.kid)).toMatchObject({ retired_at: null, expires_at: null });
    const ringAhead = await ringOf('acme');
    expect(ringAhead.jwks.keys.map((k) => k.kid)).toContain(successor.kid);
    expect(ringAhead.signingKey(dueSoon, alg)?.kid).toBe(first!.kid);

    // Once the successor signs, the old key retires and stays published for the longest token lifetime.
    const afterActivation = new Date(successor.activates_at.getTime() + 1_000);
    expect((await rotateAt(afterActivation)).returnvalue.byAlg[alg]).toEqual(counts(0, 2, 0));
    const retired = (await keysOf('acme', alg)).find((k) => k.kid === first!.kid)!;
    expect(retired.retired_at).toEqual(successor.activates_at);
    expect(retired.expires_at).toEqual(new Date(successor.activates_at.getTime() + MAX_SIGNED_TOKEN_LIFETIME_SECONDS * 1000));
    const ringAfter = await ringOf('acme');
    expect(ringAfter.signingKey(afterActivation, alg)?.kid).toBe(successor.kid);
    expect(ringAfter.verificationKey(first!.kid)?.alg).toBe(alg);

    // After that, it leaves the key set.
    const afterExpiry = new Date(retired.expires_at!.getTime() + 1_000);
    const removal = await rotateAt(afterExpiry);
    expect(removal.returnvalue.byAlg[alg]).toEqual(counts(0, 0, 2));
    expect((await keysOf('acme', alg)).map((k) => k.kid)).toEqual([successor.kid]);
    expect(rotatedLine(removal.id, 'acme', alg)).toMatchObject({ removed: [first!.kid] });
  });

  it('rotates each algorithm on its own schedule: an RS256 key added later never moves the ES256 keys, and back', async () => {
    // A tenant from before RS256 existed: only an ES256 key, signing since T0.
    await rotateAt(T0);
    await worker.database.query(`delete from signing_keys where alg = 'RS256'`);
    const [ec1] = await keysOf('acme', 'ES256');

    // Ten days later the job gives it an RS256 key, signing at once; the ES256 key is untouched.
    const addedAt = new Date(T0.getTime() + 10 * DAY_MS);
    const added = await rotateAt(addedAt);
    expect(added.returnvalue).toMatchObject({ created: 2, byAlg: { ES256: counts(0, 0, 0), RS256: counts(2, 0, 0) } });
    expect(rotatedLine(added.id, 'acme', 'ES256')).toBeUndefined();
    const [rs1] = await keysOf('acme', 'RS256');
    expect(rs1).toMatchObject({ activates_at: addedAt, retired_at: null });
    expect(await keysOf('acme', 'ES256')).toEqual([ec1]);

    // ES256 is due at 30 days: its successor is published and takes over; RS256 (20 days old) is not touched.
    const ecDue = new Date(T0.getTime() + 30 * DAY_MS - HOUR_MS);
    expect((await rotateAt(ecDue)).returnvalue.byAlg).toEqual({ ES256: counts(2, 0, 0), RS256: counts(0, 0, 0) });
    const ec2 = (await keysOf('acme', 'ES256')).find((k) => k.kid !== ec1!.kid)!;
    expect(ec2.activates_at).toEqual(new Date(T0.getTime() + 30 * DAY_MS));
    expect((await rotateAt(new Date(ec2.activates_at.getTime() + 1_000))).returnvalue.byAlg).toEqual({ ES256: counts(0, 2, 0), RS256: counts(0, 0, 0) });
    expect(await keysOf('acme', 'RS256')).toEqual([rs1]);

    // RS256 is due 30 days after *its* activation: it gets a successor, while in the same run the
    // retired ES256 key, past its own expiry, leaves the set.
    const rsDue = new Date(addedAt.getTime() + 30 * DAY_MS - HOUR_MS);
    expect((await rotateAt(rsDue)).returnvalue.byAlg).toEqual({ ES256: counts(0, 0, 2), RS256: counts(2, 0, 0) });
    const rs2 = (await keysOf('acme', 'RS256')).find((k) => k.kid !== rs1!.kid)!;
    expect(rs2.activates_at).toEqual(new Date(addedAt.getTime() + 30 * DAY_MS));
    expect((await keysOf('acme', 'ES256')).map((k) => k.kid)).toEqual([ec2.kid]);

    // RS256's successor takes over; ES256 is not touched.
    const later = new Date(rs2.activates_at.getTime() + 1_000);
    expect((await rotateAt(later)).returnvalue.byAlg).toEqual({ ES256: counts(0, 0, 0), RS256: counts(0, 2, 0) });
    expect(await keysOf('acme', 'ES256')).toEqual([ec2]);

    // In the end: one signing key per algorithm, every key that can still verify something published.
    const ring = await ringOf('acme');
    expect(ring.signingKey(later, 'ES256')?.kid).toBe(ec2.kid);
    expect(ring.signingKey(later, 'RS256')?.kid).toBe(rs2.kid);
    expect(ring.jwks.keys.map((k) => k.kid)).toEqual([ec2.kid, rs2.kid, rs1!.kid]);
    const rows = await keysOf('acme');
    expect(rows.filter((k) => k.retired_at === null).map((k) => [k.alg, k.kid])).toEqual([
      ['ES256', ec2.kid],
      ['RS256', rs2.kid],
    ]);
  });

  it('creates exactly one key per algorithm when rotations of a tenant race (the advisory lock)', async () => {
    const { tenantId } = await seedTenant(worker.database, 'racy');
    const policy = { rotationPeriodSeconds: 30 * 86_400, publishAheadSeconds: 3_600, maxTokenLifetimeSeconds: MAX_SIGNED_TOKEN_LIFETIME_SECONDS };
    const results = await Promise.all(
      Array.from({ length: 3 }, () => rotateSigningKeys(worker.ctx.database.db, cipherOf(worker), tenantId, policy, T0)),
    );
    expect((await keysOf('racy')).map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    // Exactly one of the racers created each algorithm's key; the others found it under the lock.
    for (const alg of SIGNING_ALGS) expect(results.filter((r) => r.created[alg] !== undefined)).toHaveLength(1);
    for (const r of results) expect(r.keys).toHaveLength(2);
  });

  it('rotates every other tenant when one fails, then fails the job so it is retried', async () => {
    const broken = await seedTenant(worker.database, 'broken');
    await seedTenant(worker.database, 'initech');
    // Real fault injection: PostgreSQL itself refuses this tenant's key inserts.
    await worker.database.query(`
      create function refuse_signing_key() returns trigger language plpgsql as $$
      begin raise exception 'signing_keys unavailable for this tenant'; end $$;
      create trigger refuse_broken_tenant before insert on signing_keys
        for each row when (new.tenant_id = '${broken.tenantId}') execute function refuse_signing_key();
    `);
    const retriesBefore = await jobsTotal(worker.ctx.metrics, { queue: QUEUES.maintenance, name: MAINTENANCE_JOBS.rotateKeys, result: 'retry' });

    const failed = await rotateAt(new Date(T0.getTime() + 40 * DAY_MS), 2);
    expect(await failed.getState()).toBe('failed');
    expect(failed.attemptsMade).toBe(2);
    expect(failed.failedReason).toBe('signing-key rotation failed for 1 of 4 tenant(s): broken');
    // 'initech' sorts after 'broken' and still got its keys.
    expect((await keysOf('initech')).map((k) => k.alg)).toEqual(['ES256', 'RS256']);
    // One transaction per tenant: the broken tenant has no key of either algorithm, not half a key set.
    expect(await keysOf('broken')).toHaveLength(0);
    const logged = worker.logs.find((l) => l.jobId === failed.id && l.tenant === 'broken' && l.msg === 'signing-key rotation failed');
    expect(logged).toMatchObject({ level: 'error' });
    // PostgreSQL's reason is logged, in the message or in the cause chain (drizzle wraps the pg error).
    expect(JSON.stringify(logged?.err)).toContain('signing_keys unavailable');
    expect(await jobsTotal(worker.ctx.metrics, { queue: QUEUES.maintenance, name: MAINTENANCE_JOBS.rotateKeys, result: 'retry' })).toBe(retriesBefore + 1);
    expect(await jobsTotal(worker.ctx.metrics, { queue: QUEUES.maintenance, name: MAINTENANCE_JOBS.rotateKeys, result: 'failure' })).toBe(1);

    // Fixed: the next run succeeds for everyone.
    await worker.database.query(`drop trigger refuse_broken_tenant on signing_keys`);
    const recovered = await rotateAt(new Date(T0.getTime() + 40 * DAY_MS));
    expect(await recovered.getState()).toBe('completed');
    expect((await keysOf('broken')).map((k) => k.alg)).toEqual(['ES256', 'RS256']);
  });
});
