import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAINTENANCE_JOBS, QUEUES } from '@lanyard/contracts';
import { cleanupExpiredRows } from '../../../../src/jobs/maintenance/cleanup-expired-rows.js';
import { jobsTotal } from '../../../support/job-metrics.js';
import { seedTenant, type SeededTenant } from '../../../support/seed-rows.js';
import { startTestWorker, type TestWorker } from '../../../support/test-worker.js';
import { waitForJob } from '../../../support/wait-for-job.js';

/**
 * Rows are inserted with SQL relative to the database's now(); each row's label says whether the
 * cleanup must delete it ("gone-…") or keep it ("kept-…"). Margins are minutes, so the few
 * milliseconds between insert and run never matter.
 */
describe('maintenance/cleanup against real PostgreSQL', () => {
  let worker: TestWorker;
  let t: SeededTenant;

  beforeAll(async () => {
    worker = await startTestWorker();
    t = await seedTenant(worker.database, 'acme');
    const db = worker.database;
    const code = (label: string, expires: string, consumed: boolean) =>
      db.query(
        `insert into authorization_codes (code_hash, tenant_id, client_ref, user_id, redirect_uri, code_challenge, scopes, auth_time, expires_at, consumed_at)
         values (convert_to($1, 'utf8'), $2, $3, $4, 'https://app.example/cb', 'challenge', '{openid}', now(), ${expires}, ${consumed ? 'now()' : 'null'})`,
        [label, t.tenantId, t.clientRef, t.userId],
      );
    await code('gone-code-expired-11-min-ago', "now() - interval '11 minutes'", true);
    await code('kept-code-expired-5-min-ago-replay-window', "now() - interval '5 minutes'", true);
    await code('kept-code-live', "now() + interval '1 minute'", false);

    const family = async (label: string, absoluteExpires: string, revoked: string) => {
      const row = await db.query<{ id: string }>(
        `insert into refresh_token_families (tenant_id, client_ref, user_id, scopes, auth_time, delivery, absolute_expires_at, revoked_at, revoked_reason)
         values ($1, $2, $3, '{openid}', now(), 'body', ${absoluteExpires}, ${revoked}, $4) returning id`,
        [t.tenantId, t.clientRef, t.userId, label],
      );
      return row.rows[0]!.id;
    };
    const token = (label: string, familyId: string, expires: string) =>
      db.query(`insert into refresh_tokens (token_hash, family_id, expires_at) values (convert_to($1, 'utf8'), $2, ${expires})`, [label, familyId]);
    const absoluteExpired = await family('gone-family-absolute-expiry-passed', "now() - interval '1 minute'", 'null');
    await token('gone-token-live-in-expired-family', absoluteExpired, "now() + interval '1 hour'");
    await family('gone-family-revoked-2-days-ago', "now() + interval '10 days'", "now() - interval '2 days'");
    await family('kept-family-revoked-1-hour-ago', "now() + interval '10 days'", "now() - interval '1 hour'");
    const live = await family('kept-family-live', "now() + interval '10 days'", 'null');
    await token('gone-token-expired', live, "now() - interval '1 minute'");
    await token('kept-token-live', live, "now() + interval '1 hour'");

    const session = (label: string, expires: string, revoked: string) =>
      db.query(
        `insert into sessions (tenant_id, user_id, token_hash, auth_time, amr, expires_at, revoked_at) values ($1, $2, convert_to($3, 'utf8'), now(), '{pwd}', ${expires}, ${revoked})`,
        [t.tenantId, t.userId, label],
      );
    await session('gone-session-expired', "now() - interval '1 minute'", 'null');
    await session('gone-session-revoked-2-days-ago', "now() + interval '1 hour'", "now() - interval '2 days'");
    await session('kept-session-revoked-1-hour-ago', "now() + interval '1 hour'", "now() - interval '1 hour'");
    await session('kept-session-live', "now() + interval '1 hour'", 'null');

    const actionToken = (label: string, expires: string, used: string) =>
      db.query(
        `insert into user_action_tokens (token_hash, tenant_id, user_id, purpose, expires_at, used_at) values (convert_to($1, 'utf8'), $2, $3, 'password_reset', ${expires}, ${used})`,
        [label, t.tenantId, t.userId],
      );
    await actionToken('gone-action-used-2-days-ago', "now() + interval '1 hour'", "now() - interval '2 days'");
    await actionToken('gone-action-expired-2-days-ago', "now() - interval '2 days'", 'null');
    // Kept a day after use or expiry, so a second click still says "already used" / "expired".
    await actionToken('kept-action-used-1-hour-ago', "now() + interval '1 hour'", "now() - interval '1 hour'");
    await actionToken('kept-action-expired-1-hour-ago', "now() - interval '1 hour'", 'null');
    await actionToken('kept-action-live', "now() + interval '1 hour'", 'null');

    const browser = (label: string, lastSeen: string) =>
      db.query(`insert into known_browsers (user_id, browser_hash, first_seen_at, last_seen_at) values ($1, convert_to($2, 'utf8'), now() - interval '500 days', ${lastSeen})`, [t.userId, label]);
    await browser('gone-browser-unseen-401-days', "now() - interval '401 days'");
    await browser('kept-browser-seen-399-days-ago', "now() - interval '399 days'");
  });
  afterAll(() => worker.close());

  it('deletes exactly the expired and long-revoked rows, keeps the rest, and reports the counts', async () => {
    worker.clock.now = new Date();
    const job = await worker.ctx.queues.maintenance.add(MAINTENANCE_JOBS.cleanup, {});
    const done = await waitForJob(worker.ctx.queues.maintenance, job.id!, ['completed', 'failed']);
    expect(await done.getState()).toBe('completed');
    expect(done.returnvalue).toEqual({ refreshTokenFamilies: 2, refreshTokens: 1, authorizationCodes: 1, sessions: 2, userActionTokens: 2, knownBrowsers: 1 });

    const labels = async (sql: string) => (await worker.database.query<{ label: string }>(sql)).rows.map((r) => r.label).sort();
    expect(await labels(`select convert_from(code_hash, 'utf8') as label from authorization_codes`)).toEqual(['kept-code-expired-5-min-ago-replay-window', 'kept-code-live']);
    expect(await labels(`select revoked_reason as label from refresh_token_families`)).toEqual(['kept-family-live', 'kept-family-revoked-1-hour-ago']);
    expect(await labels(`select convert_from(token_hash, 'utf8') as label from refresh_tokens`)).toEqual(['kept-token-live']);
    expect(await labels(`select convert_from(token_hash, 'utf8') as label from sessions`)).toEqual(['kept-session-live', 'kept-session-revoked-1-hour-ago']);
    expect(await labels(`select convert_from(token_hash, 'utf8') as label from user_action_tokens`)).toEqual(['kept-action-expired-1-hour-ago', 'kept-action-live', 'kept-action-used-1-hour-ago']);
    expect(await labels(`select convert_from(browser_hash, 'utf8') as label from known_browsers`)).toEqual(['kept-browser-seen-399-days-ago']);

    expect(worker.logs.find((l) => l.jobId === job.id && l.msg === 'expired rows purged')).toMatchObject({
      queue: 'maintenance',
      jobName: 'cleanup',
      deleted: done.returnvalue,
    });
    expect(await jobsTotal(worker.ctx.metrics, { queue: QUEUES.maintenance, name: MAINTENANCE_JOBS.cleanup, result: 'success' })).toBe(1);
  });

  it('is idempotent: a second run deletes nothing', async () => {
    worker.clock.now = new Date();
    const first = await worker.ctx.queues.maintenance.add(MAINTENANCE_JOBS.cleanup, {});
    expect(await (await waitForJob(worker.ctx.queues.maintenance, first.id!, ['completed', 'failed'])).getState()).toBe('completed');
    const job = await worker.ctx.queues.maintenance.add(MAINTENANCE_JOBS.cleanup, {});
    const done = await waitForJob(worker.ctx.queues.maintenance, job.id!, ['completed', 'failed']);
    expect(done.returnvalue).toEqual({ refreshTokenFamilies: 0, refreshTokens: 0, authorizationCodes: 0, sessions: 0, userActionTokens: 0, knownBrowsers: 0 });
  });

  it('works through a backlog in batches, stopping at the batch budget until the next run', async () => {
    // Nothing but the backlog is due: purge what the seed left expired first (the first test's run does, when it ran).
    await cleanupExpiredRows(worker.ctx.database.db, new Date());
    await worker.database.query(
      `insert into authorization_codes (code_hash, tenant_id, client_ref, user_id, redirect_uri, code_challenge, scopes, auth_time, expires_at)
       select convert_to('backlog-' || i, 'utf8'), $1, $2, $3, 'https://app.example/cb', 'c', '{openid}', now(), now() - interval '1 day'
       from generate_series(1, 2500) as i`,
      [t.tenantId, t.clientRef, t.userId],
    );
    const now = new Date();
    const first = await cleanupExpiredRows(worker.ctx.database.db, now, { batchSize: 1000, maxBatches: 2 });
    expect(first.authorizationCodes).toBe(2000);
    const second = await cleanupExpiredRows(worker.ctx.database.db, now, { batchSize: 1000, maxBatches: 2 });
    expect(second.authorizationCodes).toBe(500);
    const left = await worker.database.query<{ n: string }>(`select count(*) as n from authorization_codes`);
    expect(Number(left.rows[0]!.n)).toBe(2);
  });
});
