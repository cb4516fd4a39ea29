import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_JOBS, QUEUES } from '@lanyard/contracts';
import { MAX_SIGNED_TOKEN_LIFETIME_SECONDS } from '@lanyard/signing-keys';
import { jobsTotal } from '../../../support/job-metrics.js';
import { seedTenant } from '../../../support/seed-rows.js';
import { startTestWorker, type TestWorker } from '../../../support/test-worker.js';
import { waitForJob } from '../../../support/wait-for-job.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const T0 = new Date('2031-01-01T00:00:00Z');

interface KeyRow {
  kid: string;
  activates_at: Date;
  retired_at: Date | null;
  expires_at: Date | null;
}

describe('maintenance/rotate-keys with a movable clock', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    // The defaults: rotate every 30 days, publish a successor an hour ahead.
    worker = await startTestWorker({ env: { SIGNING_KEY_ROTATION_DAYS: '30', SIGNING_KEY_PUBLISH_AHEAD_SECONDS: '3600' } });
    await seedTenant(worker.database, 'acme');
    await seedTenant(worker.database, 'globex');
  });
  afterAll(() => worker.close());

  const keysOf = async (tenant: string) =>
    (
      await worker.database.query<KeyRow>(
        `select kid, activates_at, retired_at, expires_at from signing_keys k join tenants t on t.id = k.tenant_id where t.name = $1 order by activates_at`,
        [tenant],
      )
    ).rows;

  const rotateAt = async (now: Date, attempts = 1) => {
    worker.clock.now = now;
    const job = await worker.ctx.queues.maintenance.add(MAINTENANCE_JOBS.rotateKeys, {}, { attempts, backoff: { type: 'fixed', delay: 100 } });
    return waitForJob(worker.ctx.queues.maintenance, job.id!, ['completed', 'failed']);
  };

  it('gives a tenant without keys one that signs immediately', async () => {
    const done = await rotateAt(T0);
    expect(done.returnvalue).toEqual({ tenants: 2, created: 2, retired: 0, removed: 0, failed: [] });
    for (const tenant of ['acme', 'globex']) {
      const keys = await keysOf(tenant);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({ activates_at: T0, retired_at: null, expires_at: null });
    }
    expect(worker.logs.find((l) => l.jobId === done.id && l.tenant === 'acme' && l.msg === 'signing keys rotated')).toMatchObject({
      created: { kid: (await keysOf('acme'))[0]!.kid, activatesAt: T0.toISOString() },
      retired: [],
      removed: [],
    });
  });

  it('changes nothing while the key is young', async () => {
    const done = await rotateAt(new Date(T0.getTime() + 10 * DAY_MS));
    expect(done.returnvalue).toMatchObject({ created: 0, retired: 0, removed: 0 });
    expect(await keysOf('acme')).toHaveLength(1);
  });

  it('publishes a successor ahead of its activation, then retires the old key, then removes it', async () => {
    const [first] = await keysOf('acme');

    // Inside the publish-ahead window before the 30-day mark: a successor is published, not yet signing.
    const dueSoon = new Date(T0.getTime() + 30 * DAY_MS - HOUR_MS + 60_000);
    expect((await rotateAt(dueSoon)).returnvalue).toMatchObject({ created: 2, retired: 0, removed: 0 });
    const published = await keysOf('acme');
    expect(published).toHaveLength(2);
    const successor = published.find((k) => k.kid !== first!.kid)!;
    expect(successor.activates_at).toEqual(new Date(T0.getTime() + 30 * DAY_MS + 60_000));
    expect(published.find((k) => k.kid === first!.kid)).toMatchObject({ retired_at: null, expires_at: null });

    // Once the successor signs, the old key retires and stays published for the longest token lifetime.
    const afterActivation = new Date(successor.activates_at.getTime() + 1_000);
    expect((await rotateAt(afterActivation)).returnvalue).toMatchObject({ created: 0, retired: 2, removed: 0 });
    const retired = (await keysOf('acme')).find((k) => k.kid === first!.kid)!;
    expect(retired.retired_at).toEqual(successor.activates_at);
    expect(retired.expires_at).toEqual(new Date(successor.activates_at.getTime() + MAX_SIGNED_TOKEN_LIFETIME_SECONDS * 1000));

    // After that, it leaves the key set.
    const afterExpiry = new Date(retired.expires_at!.getTime() + 1_000);
    const removal = await rotateAt(afterExpiry);
    expect(removal.returnvalue).toMatchObject({ created: 0, retired: 0, removed: 2 });
    expect((await keysOf('acme')).map((k) => k.kid)).toEqual([successor.kid]);
    expect(worker.logs.find((l) => l.jobId === removal.id && l.tenant === 'acme' && l.msg === 'signing keys rotated')).toMatchObject({
      removed: [first!.kid],
    });
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
    // 'initech' sorts after 'broken' and still got its key.
    expect(await keysOf('initech')).toHaveLength(1);
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
    expect(await keysOf('broken')).toHaveLength(1);
  });
});
