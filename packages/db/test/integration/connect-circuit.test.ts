import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestDatabase, startBlackholeProxy, type BlackholeProxy, type TestDatabase } from '@lanyard/testing';
import { CIRCUIT_OPEN_MESSAGE } from '../../src/connect-circuit.js';
import { createDatabase, type DatabaseHandle } from '../../src/create-database.js';
import { isDatabaseUnavailable } from '../../src/database-unavailable.js';

/**
 * A real PostgreSQL behind a TCP proxy that can drop everything (docs/reliability.md "PostgreSQL
 * not answering"): the first request that meets the silence pays the bound, the circuit opens, and
 * the requests after it are refused without touching the network until a probe gets through.
 */
let database: TestDatabase;
let proxy: BlackholeProxy;
let handle: DatabaseHandle | undefined;
let changes: boolean[];

const open = (options: { poolMax?: number } = {}) => {
  const url = new URL(database.url);
  url.host = `${proxy.host}:${proxy.port}`;
  changes = [];
  handle = createDatabase({
    url: url.toString(),
    poolMax: options.poolMax ?? 4,
    connectTimeoutMs: 400,
    queryTimeoutMs: 800,
    probeIntervalMs: 100,
    onCircuitChange: (isOpen) => changes.push(isOpen),
  });
  return handle;
};
const eventually = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 25));
  if (!check()) throw new Error(`timed out waiting for ${what}`);
};
const refusal = async (run: () => Promise<unknown>) => {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a refusal');
};

beforeEach(async () => {
  database = await createTestDatabase();
  const url = new URL(database.url);
  proxy = await startBlackholeProxy({ host: url.hostname, port: Number(url.port || 5432) });
});
afterEach(async () => {
  await handle?.close();
  handle = undefined;
  await proxy.close();
  await database.drop();
});

describe('the circuit on a PostgreSQL that stops answering', () => {
  it('opens on an idle connection’s read timeout, refuses at once without connecting, and closes when a probe gets through', async () => {
    const db = open();
    await db.ping();
    expect(db.poolStats().idle).toBe(1);

    proxy.blackhole(true);
    const first = await refusal(() => db.ping());
    expect(first.message).toMatch(/^Query read timeout/);
    expect(isDatabaseUnavailable(first)).toBe(true);
    expect(changes).toEqual([true]);

    // Every request now is refused by the circuit itself, through drizzle as through the pool,
    // and none of them opens a connection (the proxy would count it).
    const connectionsBefore = proxy.connections;
    const refused = await Promise.all([...Array.from({ length: 8 }, () => refusal(() => db.ping())), refusal(() => db.db.execute(sql`select 1`))]);
    for (const error of refused) {
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect([error.message, (error.cause as Error | undefined)?.message]).toContain(CIRCUIT_OPEN_MESSAGE);
    }
    expect(proxy.connections - connectionsBefore).toBeLessThanOrEqual(1); // at most the probe's own

    // Probes keep trying on connections of their own while the server is silent; none of them closes it.
    await eventually(() => proxy.connections >= connectionsBefore + 2, 'a second probe');
    expect(changes).toEqual([true]);

    proxy.blackhole(false);
    await eventually(() => changes.length === 2, 'the circuit to close');
    expect(changes).toEqual([true, false]);
    await db.ping();
    expect((await db.db.execute<{ n: number }>(sql`select 1 as n`)).rows).toEqual([{ n: 1 }]);
  });

  it('opens on a new connection that gets no answer, as from a host that went away', async () => {
    proxy.blackhole(true);
    const db = open();
    const first = await refusal(() => db.ping());
    expect(first.message).toMatch(/^Connection terminated due to connection timeout/);
    expect(changes).toEqual([true]);
    expect((await refusal(() => db.ping())).message).toBe(CIRCUIT_OPEN_MESSAGE);

    proxy.blackhole(false);
    await eventually(() => changes.length === 2, 'the circuit to close');
    await db.ping();
  });

  it('opens when a checkout waited its whole timeout and no work finished meanwhile: every connection hangs', async () => {
    const db = open({ poolMax: 1 });
    await db.ping();
    proxy.blackhole(true);
    // The only connection hangs on its query; the next request waits for it, and nothing finishes.
    const hanging = refusal(() => db.ping());
    const waiting = await refusal(() => db.ping());
    expect(waiting.message).toMatch(/^timeout exceeded when trying to connect/);
    expect(changes).toEqual([true]);
    expect((await refusal(() => db.ping())).message).toBe(CIRCUIT_OPEN_MESSAGE);
    expect((await hanging).message).toMatch(/^Query read timeout/);

    proxy.blackhole(false);
    await eventually(() => changes.length === 2, 'the circuit to close');
    await db.ping();
  });

  it('stays closed when the pool is only busy: checkouts time out while work keeps finishing (load, not an outage)', async () => {
    const db = open({ poolMax: 1 });
    // Twelve 100 ms queries through one connection with a 400 ms checkout timeout: the first few run,
    // the rest give up waiting, and a query finished every 100 ms throughout.
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => db.pool.query('select pg_sleep(0.1)')));
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => (o.reason as Error).message);
    expect(outcomes.filter((o) => o.status === 'fulfilled').length).toBeGreaterThan(0);
    expect(rejected.length).toBeGreaterThan(0);
    for (const message of rejected) expect(message).toMatch(/^timeout exceeded when trying to connect/);
    expect(changes).toEqual([]);
    await db.ping();
  });
});
