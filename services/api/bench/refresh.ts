// Benchmark (not a test): refresh_token grant throughput, every request with a fresh refresh token,
// Lanyard (rotation + reuse detection in PostgreSQL) against node-oidc-provider 9.13 (rotation on,
// refresh tokens pre-seeded into an in-memory or a Redis adapter) and Keycloak on PostgreSQL
// (revokeRefreshToken, no reuse). All issue an ES256 JWT access token and an ES256 ID token per refresh.
// Run: npx tsx services/api/bench/refresh.ts   (or services/api/bench/run-all.sh)
import type { Options, RawRequest } from 'autocannon';
import { basicAuth, ensureBenchTenant, startLanyard, WEB_CLIENT } from './support/lanyard.js';
import { medianRun, rotatedRounds, runLoad, totalCpuMicros, type LoadFigures } from './support/load.js';
import { keycloakComparison, runGrantBench } from './support/grant-bench.js';
import { KEYCLOAK_LABEL } from './support/keycloak.js';
import { peerLabel, startPeer, type PeerAdapter } from './support/peer.js';
import { productionBundle } from './support/production-bundle.js';
import { refreshMinter } from './support/refresh-minter.js';
import { fmt, percent, printLoadTable, printRatios, ratio, times, writeResults } from './support/report.js';
import { benchSecrets, settings } from './support/settings.js';

/**
 * Tokens minted for the warm-up (its rate sizes the measured run's pool) and the pool's margin.
 * Keycloak mints each by a password grant, ~50/s on one core, and serves refreshes at a few hundred
 * per second, so a smaller pool covers it.
 */
interface PoolPlan {
  readonly warmup: number;
  readonly margin: number;
}
const NODE_POOL: PoolPlan = { warmup: 3_000, margin: 5_000 };
const KEYCLOAK_POOL: PoolPlan = { warmup: 400, margin: 400 };

interface RefreshRun {
  readonly load: LoadFigures;
  readonly poolSize: number;
  readonly poolExhausted: boolean;
  readonly mintPerSecond: number;
}

type Minter = (count: number) => Promise<string[]>;

/**
 * Warm-up over exactly WARMUP_POOL fresh tokens, then a measured run whose pool is three times what
 * the warm-up rate would consume (each request takes the next token in its setup hook; a token is never
 * sent twice unless the pool runs dry, which is reported).
 */
async function measure(label: string, tokenUrl: string, pid: number, mint: Minter, plan: PoolPlan = NODE_POOL): Promise<RefreshRun> {
  const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(WEB_CLIENT, benchSecrets.webSecret) };
  await checkRefresh(tokenUrl, headers, (await mint(1))[0]!);

  const loadFor = (pool: string[]) => {
    let next = 0;
    const options: Options = {
      url: tokenUrl,
      connections: settings.connections,
      requests: [
        {
          method: 'POST',
          headers,
          setupRequest: (request: RawRequest) => {
            const token = pool[Math.min(next, pool.length - 1)]!;
            next += 1;
            request.body = `grant_type=refresh_token&refresh_token=${encodeURIComponent(token)}`;
            return request;
          },
        },
      ],
    };
    return { options, used: () => next };
  };

  const warmPool = await mint(plan.warmup);
  const warm = loadFor(warmPool);
  const warmStarted = Date.now();
  await runLoad(`${label} (warm-up)`, { ...warm.options, amount: warmPool.length - settings.connections });
  const warmRate = warm.used() / ((Date.now() - warmStarted) / 1000);

  // Warm-up runs below steady state (JIT), so leave a wide margin: minting is cheap next to the run.
  const poolSize = Math.ceil(warmRate * settings.durationSeconds * 3) + plan.margin;
  const mintStarted = Date.now();
  const pool = await mint(poolSize);
  const mintPerSecond = poolSize / ((Date.now() - mintStarted) / 1000);
  const measured = loadFor(pool);
  const load = await runLoad(label, { ...measured.options, duration: settings.durationSeconds }, pid);
  return { load, poolSize, poolExhausted: measured.used() > pool.length, mintPerSecond };
}

async function checkRefresh(tokenUrl: string, headers: Record<string, string>, token: string): Promise<void> {
  const response = await fetch(tokenUrl, { method: 'POST', headers, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }) });
  const body = (await response.json()) as Record<string, string>;
  if (response.status !== 200 || body.refresh_token === undefined || body.id_token === undefined || !body.access_token?.startsWith('eyJ')) {
    throw new Error(`refresh probe at ${tokenUrl}: ${response.status} ${JSON.stringify(body)}`);
  }
}

/** Lanyard: families created directly through RefreshTokenService.createFamily in the bench database. */
async function lanyard(databaseUrl: string): Promise<RefreshRun> {
  // The production bundle, as users run it (`node dist/api.js`, the image's environment).
  const server = await startLanyard(databaseUrl, {}, productionBundle('api'));
  try {
    const { emails } = await ensureBenchTenant(server);
    const minter = await refreshMinter(databaseUrl, emails);
    try {
      return await measure('Lanyard', `${server.issuer}/oauth2/token`, server.process.pid, (count) => minter.mint(count));
    } finally {
      await minter.close();
    }
  } finally {
    await server.stop();
  }
}

async function peer(adapter: PeerAdapter): Promise<RefreshRun> {
  const server = await startPeer(adapter);
  try {
    return await measure(peerLabel(adapter), `${server.issuer}/token`, server.process.pid, (count) => server.mint(count));
  } finally {
    await server.stop();
  }
}

await runGrantBench('# refresh_token: Lanyard (production bundle) vs node-oidc-provider in memory and with a Redis adapter, and Keycloak (rotation on, fresh token per request)', async ({ databaseUrl, keycloak }) => {
  const runs: { lanyard: RefreshRun[]; peer: RefreshRun[]; peerRedis: RefreshRun[]; keycloak: RefreshRun[] } = { lanyard: [], peer: [], peerRedis: [], keycloak: [] };
  const targets = [
    async () => void runs.lanyard.push(await lanyard(databaseUrl)),
    async () => void runs.peer.push(await peer('memory')),
    async () => void runs.peerRedis.push(await peer('redis')),
    async () => {
      const run = await keycloak.round((server) => measure(KEYCLOAK_LABEL, server.tokenUrl, server.pid, (count) => server.mint(count), KEYCLOAK_POOL));
      if (run !== undefined) runs.keycloak.push(run);
    },
  ];
  await rotatedRounds(targets, settings.rounds);
  const l = medianRun(runs.lanyard);
  const p = medianRun(runs.peer);
  const r = medianRun(runs.peerRedis);
  const k = runs.keycloak.length > 0 ? medianRun(runs.keycloak) : undefined;
  printLoadTable(`refresh_token at ${settings.connections} connections (access + ID token, rotation)`, [l.load, p.load, r.load, ...(k === undefined ? [] : [k.load])]);
  const named: Array<readonly [string, RefreshRun]> = [['Lanyard', l], [peerLabel('memory'), p], [peerLabel('redis'), r], ...(k === undefined ? [] : [[KEYCLOAK_LABEL, k] as const])];
  for (const [name, run] of named) {
    console.log(`${name}: pool ${run.poolSize} tokens (minted at ${fmt(run.mintPerSecond, 0)}/s)${run.poolExhausted ? ' — POOL EXHAUSTED: errors include reused tokens' : ''}`);
  }
  const lanyardCpu = l.load.cpuMicrosPerRequest;
  const summary = {
    lanyard: l,
    peer: p,
    peerRedis: r,
    ratioLanyardToPeer: ratio(l.load.requestsPerSecond, p.load.requestsPerSecond),
    ratioLanyardToPeerRedis: ratio(l.load.requestsPerSecond, r.load.requestsPerSecond),
    cpuRatioPeerToLanyard: ratio(p.load.cpuMicrosPerRequest?.server ?? Number.NaN, lanyardCpu?.server ?? Number.NaN),
    totalCpuRatioPeerRedisToLanyard: ratio(totalCpuMicros(r.load), totalCpuMicros(l.load)),
    ...keycloakComparison(l, k, keycloak),
  };
  printRatios([
    ['Lanyard / peer (in memory) refresh throughput', `${times(summary.ratioLanyardToPeer)} (target ≥ 2×)`],
    ['Lanyard / peer (Redis adapter) refresh throughput', `${times(summary.ratioLanyardToPeerRedis)} (target ≥ 2×)`],
    ['peer (in memory) / Lanyard CPU per refresh (process only)', `${times(summary.cpuRatioPeerToLanyard)} (>1: Lanyard cheaper per request)`],
    ['peer (Redis) / Lanyard total CPU per refresh (process + PostgreSQL + Redis)', `${times(summary.totalCpuRatioPeerRedisToLanyard)} (${fmt(totalCpuMicros(r.load), 0)} µs vs ${fmt(totalCpuMicros(l.load), 0)} µs)`],
    k === undefined
      ? ['Lanyard / Keycloak refresh throughput', `missing: ${keycloak.missing}`]
      : ['Lanyard / Keycloak refresh throughput (one core each)', `${times(summary.ratioLanyardToKeycloak!)} (target ≥ 10×)`],
    ...(k === undefined ? [] : [['Keycloak / Lanyard total CPU per refresh (process + PostgreSQL + Redis)', `${times(summary.totalCpuRatioKeycloakToLanyard!)} (${fmt(totalCpuMicros(k.load), 0)} µs vs ${fmt(totalCpuMicros(l.load), 0)} µs)`] as const]),
    ['Lanyard PostgreSQL CPU per refresh', `${fmt(lanyardCpu?.postgres ?? Number.NaN, 0)} µs (${percent((lanyardCpu?.postgres ?? 0) / ((lanyardCpu?.server ?? 0) + (lanyardCpu?.postgres ?? 0)))} of API+DB CPU)`],
  ]);
  writeResults('refresh', summary);
});
