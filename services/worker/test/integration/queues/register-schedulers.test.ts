import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_JOB_OPTIONS, MAINTENANCE_JOBS } from '@lanyard/contracts';
import { createTestDatabase, uniqueRedisPrefix, type TestDatabase } from '@lanyard/testing';
import { startTestWorker, type TestWorker } from '../../support/test-worker.js';
import { eventually } from '../../support/wait-for-job.js';

describe('maintenance job schedulers', () => {
  let database: TestDatabase;
  const started: TestWorker[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((w) => w.close()));
  });
  afterAll(() => database.drop());

  // Long intervals: after the first run of each schedule, the next one is far beyond the test.
  const replica = (prefix: string, env: Record<string, string> = {}) =>
    startTestWorker({
      database,
      redisKeyPrefix: prefix,
      schedulers: true,
      env: { CLEANUP_INTERVAL_SECONDS: '3600', KEY_ROTATION_CHECK_SECONDS: '7200', ...env },
    }).then((w) => (started.push(w), w));

  it('are registered once even when two worker replicas start', async () => {
    const prefix = uniqueRedisPrefix();
    const [a] = await Promise.all([replica(prefix), replica(prefix)]);
    const queue = a.ctx.queues.maintenance;

    const schedulers = await queue.getJobSchedulers();
    expect(schedulers.map((s) => ({ key: s.key, name: s.name, every: s.every })).sort((x, y) => x.key.localeCompare(y.key))).toEqual([
      { key: MAINTENANCE_JOBS.cleanup, name: MAINTENANCE_JOBS.cleanup, every: 3_600_000 },
      { key: MAINTENANCE_JOBS.rotateKeys, name: MAINTENANCE_JOBS.rotateKeys, every: 7_200_000 },
    ]);
    // Each schedule runs its first job at once; wait for those, then count: one run and one next
    // run per schedule, not one per replica.
    await eventually(async () => (await queue.getJobCountByTypes('waiting', 'active', 'prioritized')) === 0, 15_000, 'first runs finished');
    const names = async (state: 'completed' | 'delayed') => (await queue.getJobs([state])).map((j) => j.name).sort();
    expect(await names('completed')).toEqual([MAINTENANCE_JOBS.cleanup, MAINTENANCE_JOBS.rotateKeys]);
    expect(await names('delayed')).toEqual([MAINTENANCE_JOBS.cleanup, MAINTENANCE_JOBS.rotateKeys]);
    // Jobs produced by the schedules carry the maintenance retry policy.
    for (const job of await queue.getJobs(['completed', 'delayed'])) {
      expect(job.opts).toMatchObject({ attempts: MAINTENANCE_JOB_OPTIONS.attempts, backoff: MAINTENANCE_JOB_OPTIONS.backoff });
    }
  });

  it('take a changed interval on the next start instead of adding a second schedule', async () => {
    const prefix = uniqueRedisPrefix();
    const first = await replica(prefix);
    await first.close();
    started.splice(started.indexOf(first), 1);
    const second = await replica(prefix, { CLEANUP_INTERVAL_SECONDS: '1800' });

    const schedulers = await second.ctx.queues.maintenance.getJobSchedulers();
    expect(schedulers).toHaveLength(2);
    expect(schedulers.find((s) => s.key === MAINTENANCE_JOBS.cleanup)?.every).toBe(1_800_000);
  });
});
