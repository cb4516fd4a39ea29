// Benchmark (not a test): does Lanyard scale out? client_credentials against one API process (the
// production bundle, pinned to one core) and against two (one per core, separate processes sharing
// PostgreSQL, Redis and one Redis key prefix, so rate limits stay shared, as two pods would).
// Run: npx tsx services/api/bench/scale-out.ts   (or services/api/bench/run-all.sh)
import { randomBytes } from 'node:crypto';
import { benchDatabase } from './support/bench-database.js';
import { underMachineMode } from './support/busy-hog.js';
import { basicAuth, CLIENT_CREDENTIALS_BODY, checkClientCredentials, ensureBenchTenant, SERVICE_CLIENT, startLanyard, type LanyardServer } from './support/lanyard.js';
import { medianRound, rotatedRounds, runLoad, type LoadFigures } from './support/load.js';
import { productionBundle } from './support/production-bundle.js';
import { pinSelf } from './support/processes.js';
import { fmt, printConditions, printLoadTable, printRatios, ratio, times, writeResults } from './support/report.js';
import { benchSecrets, settings } from './support/settings.js';

/** Where the second replica runs: the core the first one does not have. */
const SECOND_CPUS = process.env.BENCH_SCALE_OUT_CPUS ?? settings.clientCpus;
const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(SERVICE_CLIENT, benchSecrets.serviceSecret) };

interface ScaleRun {
  readonly replicas: number;
  readonly requestsPerSecond: number;
  readonly perReplica: readonly LoadFigures[];
}

/** Warm-up, then every replica loaded at once by its own autocannon with the full connection count. */
async function load(servers: readonly LanyardServer[]): Promise<ScaleRun> {
  const options = (server: LanyardServer) => ({ url: `${server.issuer}/oauth2/token`, method: 'POST' as const, headers, body: CLIENT_CREDENTIALS_BODY, connections: settings.connections });
  for (const server of servers) await checkClientCredentials(`${server.issuer}/oauth2/token`, SERVICE_CLIENT, benchSecrets.serviceSecret, CLIENT_CREDENTIALS_BODY);
  await Promise.all(servers.map((server, i) => runLoad(`replica ${i + 1} (warm-up)`, { ...options(server), duration: settings.warmupSeconds })));
  const perReplica = await Promise.all(
    servers.map((server, i) => runLoad(`${servers.length} replica${servers.length > 1 ? 's' : ''}: replica ${i + 1}`, { ...options(server), duration: settings.durationSeconds }, server.process.pid)),
  );
  return { replicas: servers.length, requestsPerSecond: perReplica.reduce((sum, f) => sum + f.requestsPerSecond, 0), perReplica };
}

async function one(databaseUrl: string): Promise<ScaleRun> {
  // One replica: it has CPU 1, the driver, PostgreSQL and Redis have CPU 0 (its best case).
  pinSelf(settings.clientCpus);
  const server = await startLanyard(databaseUrl, {}, productionBundle('api'));
  try {
    return await load([server]);
  } finally {
    await server.stop();
  }
}

async function two(databaseUrl: string): Promise<ScaleRun> {
  // Two replicas, one per core; the driver, PostgreSQL and Redis share both cores with them.
  pinSelf(`${settings.serverCpus},${SECOND_CPUS}`);
  const shared = { REDIS_KEY_PREFIX: `bench:${randomBytes(4).toString('hex')}:` };
  const first = await startLanyard(databaseUrl, shared, productionBundle('api'));
  try {
    const second = await startLanyard(databaseUrl, shared, productionBundle('api'), undefined, SECOND_CPUS);
    try {
      return await load([first, second]);
    } finally {
      await second.stop();
    }
  } finally {
    await first.stop();
  }
}

async function main(): Promise<void> {
  console.log('# scale-out: client_credentials, one API process vs two sharing PostgreSQL and Redis (production bundle)');
  printConditions({ connections: `${settings.connections} per replica`, 'second replica cpus': SECOND_CPUS });
  const database = await benchDatabase();
  try {
    const seed = await startLanyard(database.url, {}, productionBundle('api'));
    try {
      await ensureBenchTenant(seed, 1);
    } finally {
      await seed.stop();
    }
    const runs: { one: ScaleRun[]; two: ScaleRun[] } = { one: [], two: [] };
    const targets = [async () => void runs.one.push(await one(database.url)), async () => void runs.two.push(await two(database.url))];
    await rotatedRounds(targets, settings.rounds);
    const o = medianRound(runs.one);
    const t = medianRound(runs.two);
    printLoadTable('client_credentials per replica (CPU µs/req: that replica; pg and redis: the whole server, both replicas)', [...o.perReplica, ...t.perReplica]);
    const summary = { one: o, two: t, ratioTwoToOne: ratio(t.requestsPerSecond, o.requestsPerSecond) };
    printRatios([
      ['one replica', `${fmt(o.requestsPerSecond, 0)} req/s`],
      ['two replicas, together', `${fmt(t.requestsPerSecond, 0)} req/s`],
      ['two / one', `${times(summary.ratioTwoToOne)} (target ≥ 1.7×)`],
    ]);
    writeResults('scale-out', summary);
  } finally {
    await database.release();
  }
}

await underMachineMode(main);
