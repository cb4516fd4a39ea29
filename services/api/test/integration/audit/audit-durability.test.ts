import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, runMigrations } from '@lanyard/db';
import { startPrivatePostgres, type PrivatePostgres } from '@lanyard/testing';
import { adminClient } from '../../support/admin-client.js';
import { startTestApi, type TestApi } from '../../support/test-api.js';

const run = promisify(execFile);
const replayAudit = join(import.meta.dirname, '../../../src/bin/replay-audit.ts');

async function query<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

const metric = async (api: TestApi, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec((await api.metricsApp.inject('/metrics')).body)?.[1]);

/**
 * The audit trail survives a database outage (docs/reliability.md): events wait in memory, then in
 * the spool file, and reach the table once PostgreSQL is back, each exactly once. PostgreSQL here
 * is a server of this file's own, stopped and started for real.
 */
describe('audit events across a real PostgreSQL restart', () => {
  let postgres: PrivatePostgres;
  let spool: string;
  let api: TestApi;
  let secret: string;

  const token = async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/tenants/acme/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`billing:${secret}`).toString('base64')}` },
      payload: 'grant_type=client_credentials',
    });
    return response.statusCode;
  };
  const stored = async () => (await query<{ n: string; ids: string }>(postgres.url, `select count(*) as n, count(distinct event_id) as ids from audit_events where tenant = 'acme'`))[0]!;
  const start = () => startTestApi({ env: { DATABASE_URL: postgres.url, AUDIT_SPOOL_DIR: spool, AUDIT_BUFFER_MAX: '1000' } });

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    const handle = createDatabase({ url: postgres.url, poolMax: 1, applicationName: 'audit-durability-migrate' });
    await runMigrations(handle.db);
    await handle.close();
    spool = mkdtempSync(join(tmpdir(), 'lanyard-audit-durability-'));
    api = await start();
    const admin = adminClient(api.app, await api.adminToken());
    await admin.put('/tenants/acme', { displayName: 'Acme' });
    secret = (await admin.put('/tenants/acme/clients/billing', { type: 'confidential', grantTypes: ['client_credentials'], scopes: ['invoices:read'] })).json().clientSecret;
  }, 60_000);
  afterAll(async () => {
    await postgres?.start().catch(() => undefined);
    await api?.close();
    await postgres?.destroy();
    rmSync(spool, { recursive: true, force: true });
  });

  it('keeps the events of tokens issued while PostgreSQL is stopped and writes each once when it is back', async () => {
    for (let i = 0; i < 5; i += 1) expect(await token()).toBe(200);
    await api.ctx.audit.flush();
    expect(await stored()).toEqual({ n: '5', ids: '5' });

    // An hour later by the API's clock, so the outage's events are told apart by their time (one
    // token first, so the client is cached again before the database goes away).
    api.time.advance(3_600_000);
    expect(await token()).toBe(200);
    await api.ctx.audit.flush();
    await postgres.stop();
    // Cached clients and keys keep tokens flowing; their events cannot be written.
    for (let i = 0; i < 20; i += 1) expect(await token()).toBe(200);
    await api.ctx.audit.flush();
    expect(await metric(api, 'identity_audit_events_buffered')).toBe(20);
    expect(api.logs.some((line) => line.msg === 'audit events could not be written yet; kept for a retry')).toBe(true);

    await postgres.start();
    api.time.advance(3_600_000);
    await api.ctx.audit.flush();
    expect(await stored()).toEqual({ n: '26', ids: '26' });
    expect(await metric(api, 'identity_audit_events_buffered')).toBe(0);
    expect(await metric(api, 'identity_audit_events_dropped_total')).toBe(0);
    // Stored with the time they happened (an hour ahead), not the time of the catch-up (two).
    const [counted] = await query<{ during: string }>(
      postgres.url,
      `select count(*) as during from audit_events where tenant = 'acme' and created_at between now() + interval '50 minutes' and now() + interval '70 minutes'`,
    );
    expect(counted).toEqual({ during: '21' });
  });

  it('moves the oldest events to the spool past AUDIT_BUFFER_MAX and replays them after the restart', async () => {
    await api.ctx.audit.flush();
    const before = Number((await stored()).n);
    await postgres.stop();
    for (let i = 0; i < 1_500; i += 1) api.ctx.audit.record({ tenant: 'acme', event: 'token', result: 'success', clientId: 'billing' });
    await api.ctx.audit.flush();
    // 1,001 events overflowed the bound of 1,000: the oldest 501 went to disk, 999 stay in memory.
    expect(await metric(api, 'identity_audit_events_spooled')).toBe(501);
    expect(await metric(api, 'identity_audit_events_buffered')).toBe(999);
    expect(readdirSync(spool).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);

    await postgres.start();
    await api.ctx.audit.flush();
    expect(await stored()).toEqual({ n: String(before + 1_500), ids: String(before + 1_500) });
    expect(await metric(api, 'identity_audit_events_spooled')).toBe(0);
    expect(readdirSync(spool).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
  });

  it('a shutdown while PostgreSQL is stopped spools what is left and logs it for replay; the next start writes it', async () => {
    expect(await token()).toBe(200);
    await api.ctx.audit.flush();
    const before = Number((await stored()).n);
    await postgres.stop();
    for (let i = 0; i < 7; i += 1) expect(await token()).toBe(200);
    const closing = api;
    await closing.close();
    const replayLines = closing.logs.filter((line) => line.msg === 'audit event kept for replay');
    expect(replayLines).toHaveLength(7);
    expect(readdirSync(spool).filter((name) => name.endsWith('.jsonl'))).toHaveLength(1);

    await postgres.start();
    api = await start();
    await api.ctx.audit.flush();
    expect(await stored()).toEqual({ n: String(before + 7), ids: String(before + 7) });
    expect(readdirSync(spool).filter((name) => name.endsWith('.jsonl'))).toEqual([]);
    expect(api.logs.some((line) => line.msg === 'audit events replayed from the spool' && line.replayed === 7)).toBe(true);

    // The copy in the log replays with replay-audit, and adds nothing already stored.
    const exported = join(spool, 'exported-log.jsonl');
    writeFileSync(exported, `${replayLines.map((line) => JSON.stringify(line)).join('\n')}\nnot json\n{"auditReplay":{"eventId":"x"}}\n`);
    const { stdout } = await run('npx', ['tsx', replayAudit, exported], { env: { ...process.env, DATABASE_URL: postgres.url } });
    expect(JSON.parse(stdout)).toMatchObject({ msg: 'audit events replayed', read: 9, inserted: 0, alreadyStored: 7, skipped: 2 });
    expect(await stored()).toEqual({ n: String(before + 7), ids: String(before + 7) });
  }, 60_000);

  it('keeps issuing tokens from cached tenants, clients and keys a few minutes past their cache lifetime while PostgreSQL is stopped', async () => {
    expect(await token()).toBe(200);
    await postgres.stop();
    try {
      // Every cache entry has expired (30–60 s), but not by more than the stale window (5 min).
      api.time.advance(120_000);
      expect(await token()).toBe(200);
      expect(await token()).toBe(200);
    } finally {
      await postgres.start();
    }
  });

  it('a request that needs PostgreSQL while it is stopped gets 503 with Retry-After in its route’s error format, and works once it is back', async () => {
    const adminToken = await api.adminToken();
    // Two hours on: every cache entry is stale, so each request below has to ask the database.
    api.time.advance(7_200_000);
    await postgres.stop();
    const tokenResponse = await api.app.inject({
      method: 'POST',
      url: '/tenants/acme/oauth2/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`billing:${secret}`).toString('base64')}` },
      payload: 'grant_type=client_credentials',
    });
    expect(tokenResponse.statusCode).toBe(503);
    expect(tokenResponse.headers['retry-after']).toBe('5');
    expect(tokenResponse.json()).toEqual({ error: 'temporarily_unavailable', error_description: 'The service is temporarily unavailable; retry shortly.' });
    const adminResponse = await adminClient(api.app, adminToken).get('/tenants/acme');
    expect(adminResponse.statusCode).toBe(503);
    expect(adminResponse.headers['content-type']).toContain('application/problem+json');
    expect(adminResponse.json()).toMatchObject({ type: 'urn:lanyard:problem:unavailable', status: 503, detail: 'The service is temporarily unavailable; retry shortly.' });

    await postgres.start();
    expect(await token()).toBe(200);
    expect((await adminClient(api.app, await api.adminToken()).get('/tenants/acme')).statusCode).toBe(200);
    // The refused token request is in the trail like any other attempt.
    await api.ctx.audit.flush();
    const [refused] = await query<{ n: string }>(postgres.url, `select count(*) as n from audit_events where tenant = 'acme' and result = 'failure' and reason = 'server_error' and client_id = 'billing'`);
    expect(refused).toEqual({ n: '1' });
  });

  it('when the spool cannot take them either, events are counted as dropped, logged, and replay-audit restores them', async () => {
    const blocked = join(spool, 'not-a-directory');
    writeFileSync(blocked, '');
    const closing = api;
    await closing.close();
    const before = Number((await stored()).n);
    api = await startTestApi({ env: { DATABASE_URL: postgres.url, AUDIT_SPOOL_DIR: blocked, AUDIT_BUFFER_MAX: '1000' } });
    await postgres.stop();
    for (let i = 0; i < 1_001; i += 1) api.ctx.audit.record({ tenant: 'acme', event: 'token', result: 'failure', reason: 'invalid_client', clientId: 'billing' });
    await api.ctx.audit.flush();
    await expect.poll(() => metric(api, 'identity_audit_events_dropped_total')).toBe(501);
    const logged = api.logs.filter((line) => line.msg === 'audit event kept for replay');
    expect(logged).toHaveLength(501);
    expect(existsSync(blocked) && readFileSync(blocked, 'utf8')).toBe('');

    await postgres.start();
    await api.ctx.audit.flush();
    expect(Number((await stored()).n)).toBe(before + 500);
    const exported = join(spool, 'dropped.jsonl');
    writeFileSync(exported, logged.map((line) => JSON.stringify(line)).join('\n'));
    const { stdout } = await run('npx', ['tsx', replayAudit, exported], { env: { ...process.env, DATABASE_URL: postgres.url } });
    expect(JSON.parse(stdout)).toMatchObject({ read: 501, inserted: 501, alreadyStored: 0, skipped: 0 });
    expect(await stored()).toEqual({ n: String(before + 1_001), ids: String(before + 1_001) });
  }, 60_000);
});
