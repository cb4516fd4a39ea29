import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../support/test-api.js';

const dropped = async (api: TestApi) => Number(/^identity_audit_events_dropped_total (\S+)$/m.exec((await api.metricsApp.inject('/metrics')).body)?.[1]);

/** Whatever a caller put in a field, the trail keeps its events: hostile text is stored tamed, and a row the table refuses never holds up the others. */
describe('audit events with hostile fields', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('stores NUL, control characters, 64 KiB and odd Unicode as bounded text without control characters', async () => {
    const clientId = `evil\u0000client\u001b[2J${'x'.repeat(64 * 1024)}`;
    api.ctx.audit.record({ tenant: 'hostile', event: 'token', result: 'failure', reason: 'invalid_client', clientId, requestId: 'r\u0000\u2028\ud800🙂', ip: '203.0.113.9' });
    await api.ctx.audit.flush();
    const { rows } = await api.database.query<{ client_id: string; request_id: string }>(`select client_id, request_id from audit_events where tenant = 'hostile'`);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.client_id).toBe(`evil\ufffdclient\ufffd[2J${'x'.repeat(256 - 15)}`);
    expect(rows[0]!.client_id).toHaveLength(256);
    // A lone surrogate cannot be UTF-8: the driver sends U+FFFD for it; the emoji survives.
    expect(rows[0]!.request_id).toBe('r\ufffd\u2028\ufffd🙂');
    expect(await dropped(api)).toBe(0);
  });

  it('a row the table refuses is set aside alone, logged for replay, and the rest of its batch is stored', async () => {
    for (let i = 0; i < 9; i += 1) api.ctx.audit.record({ tenant: 'batch', event: 'login', result: 'success', userId: '00000000-0000-4000-8000-00000000000' + String(i) });
    // Not a UUID: the user_id column refuses it, whatever the retry.
    api.ctx.audit.record({ tenant: 'batch', event: 'login', result: 'success', userId: 'not-a-uuid' });
    for (let i = 0; i < 5; i += 1) api.ctx.audit.record({ tenant: 'batch', event: 'logout', result: 'success' });
    await api.ctx.audit.flush();
    const { rows } = await api.database.query<{ n: string }>(`select count(*) as n from audit_events where tenant = 'batch'`);
    expect(rows[0]!.n).toBe('14');
    expect(await dropped(api)).toBe(1);
    const setAside = api.logs.filter((line) => line.msg === 'audit event kept for replay');
    expect(setAside).toHaveLength(1);
    expect(setAside[0]!.auditReplay).toMatchObject({ tenant: 'batch', userId: 'not-a-uuid' });
    // Nothing is left waiting: the next events are written at once.
    api.ctx.audit.record({ tenant: 'batch', event: 'logout', result: 'success' });
    await api.ctx.audit.flush();
    expect((await api.database.query<{ n: string }>(`select count(*) as n from audit_events where tenant = 'batch'`)).rows[0]!.n).toBe('15');
  });
});
