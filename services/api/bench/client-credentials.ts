// Benchmark (not a test): Lanyard's token endpoint for client_credentials (confidential client,
// Basic auth, ES256 JWT access token; the production bundle) against node-oidc-provider 9.13 issuing
// ES256 JWT access tokens for the same grant, in memory and with a Redis adapter, and Keycloak on
// PostgreSQL, plus the rate limiter's cost measured in isolation against real Redis.
// Run: npx tsx services/api/bench/client-credentials.ts   (or services/api/bench/run-all.sh)
import { sequentialLatency, type LatencyFigures, type ProbeRequest } from './support/http-probe.js';
import { basicAuth, BENCH_TENANT, checkClientCredentials, CLIENT_CREDENTIALS_BODY, ensureBenchTenant, SERVICE_CLIENT, startLanyard } from './support/lanyard.js';
import { medianRun, rotatedRounds, runLoad, totalCpuMicros, type LoadFigures } from './support/load.js';
import { keycloakComparison, runGrantBench } from './support/grant-bench.js';
import { KEYCLOAK_LABEL } from './support/keycloak.js';
import { peerLabel, startPeer, type PeerAdapter } from './support/peer.js';
import { productionBundle } from './support/production-bundle.js';
import { runProbe } from './support/processes.js';
import { fmt, percent, printLoadTable, printRatios, printTable, ratio, times, writeResults } from './support/report.js';
import { benchSecrets, settings } from './support/settings.js';

interface TargetRun {
  readonly load: LoadFigures;
  readonly unloaded: LatencyFigures;
}

interface LimiterProbe {
  readonly sequentialP50Micros: number;
  readonly sequentialP99Micros: number;
  readonly loadedCallsPerSecond: number;
  readonly loadedP50Micros: number;
  readonly loadedP99Micros: number;
  readonly cpuMicrosPerCall: number;
}

/** Warm-up, measured run, then an unloaded latency probe, against one token endpoint. */
async function measure(label: string, tokenUrl: string, pid: number): Promise<TargetRun> {
  await checkClientCredentials(tokenUrl, SERVICE_CLIENT, benchSecrets.serviceSecret, CLIENT_CREDENTIALS_BODY);
  const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(SERVICE_CLIENT, benchSecrets.serviceSecret) };
  const options = { url: tokenUrl, method: 'POST', headers, body: CLIENT_CREDENTIALS_BODY, connections: settings.connections };
  await runLoad(`${label} (warm-up)`, { ...options, duration: settings.warmupSeconds });
  const load = await runLoad(label, { ...options, duration: settings.durationSeconds }, pid);
  const probe: ProbeRequest = { url: tokenUrl, headers, body: CLIENT_CREDENTIALS_BODY };
  return { load, unloaded: await sequentialLatency(probe, 2_000) };
}

async function lanyard(databaseUrl: string, label = 'Lanyard', entry?: string): Promise<TargetRun> {
  const server = await startLanyard(databaseUrl, {}, entry);
  try {
    await ensureBenchTenant(server, 1);
    return await measure(label, `${server.issuer}/oauth2/token`, server.process.pid);
  } finally {
    await server.stop();
  }
}

async function peer(adapter: PeerAdapter): Promise<TargetRun> {
  const server = await startPeer(adapter);
  try {
    return await measure(peerLabel(adapter), `${server.issuer}/token`, server.process.pid);
  } finally {
    await server.stop();
  }
}

await runGrantBench('# client_credentials: Lanyard (production bundle) vs node-oidc-provider in memory and with a Redis adapter, and Keycloak (ES256 JWT access tokens)', async ({ databaseUrl, keycloak }) => {
  const runs: { lanyard: TargetRun[]; peer: TargetRun[]; peerRedis: TargetRun[]; keycloak: TargetRun[]; noLimiter: TargetRun[] } = { lanyard: [], peer: [], peerRedis: [], keycloak: [], noLimiter: [] };
  const targets: Array<() => Promise<void>> = [
    // The production bundle, as users run it (`node dist/api.js`, the image's environment).
    async () => void runs.lanyard.push(await lanyard(databaseUrl, 'Lanyard (production bundle)', productionBundle('api'))),
    async () => void runs.peer.push(await peer('memory')),
    async () => void runs.peerRedis.push(await peer('redis')),
    async () => {
      const run = await keycloak.round((server) => measure(KEYCLOAK_LABEL, server.tokenUrl, server.pid));
      if (run !== undefined) runs.keycloak.push(run);
    },
    async () => void runs.noLimiter.push(await lanyard(databaseUrl, 'Lanyard, limiter stubbed (cross-check)', 'services/api/bench/support/api-without-limiter.ts')),
  ];
  await rotatedRounds(targets, settings.rounds);
  const l = medianRun(runs.lanyard);
  const p = medianRun(runs.peer);
  const r = medianRun(runs.peerRedis);
  const k = runs.keycloak.length > 0 ? medianRun(runs.keycloak) : undefined;
  const n = medianRun(runs.noLimiter);

  const limiter = await runProbe<LimiterProbe>(settings.serverCpus, 'services/api/bench/support/limiter-probe.ts', {
    REDIS_URL: settings.redisUrl,
    CONCURRENCY: String(settings.connections),
    DURATION_SECONDS: String(Math.min(settings.durationSeconds, 5)),
  });

  printLoadTable(`client_credentials at ${settings.connections} connections (tenant ${BENCH_TENANT})`, [l.load, p.load, r.load, ...(k === undefined ? [] : [k.load]), n.load]);
  printTable(
    'Unloaded latency (2000 sequential requests, one keep-alive connection)',
    ['target', 'p50 ms', 'p99 ms'],
    [
      ['Lanyard', fmt(l.unloaded.p50Ms, 3), fmt(l.unloaded.p99Ms, 3)],
      [peerLabel('memory'), fmt(p.unloaded.p50Ms, 3), fmt(p.unloaded.p99Ms, 3)],
      [peerLabel('redis'), fmt(r.unloaded.p50Ms, 3), fmt(r.unloaded.p99Ms, 3)],
      ...(k === undefined ? [] : [[KEYCLOAK_LABEL, fmt(k.unloaded.p50Ms, 3), fmt(k.unloaded.p99Ms, 3)]]),
    ],
  );
  printTable(
    'SlidingWindowLimiter.hit against real Redis (isolated, pinned like the API)',
    ['figure', 'value'],
    [
      ['unloaded round trip p50 / p99', `${fmt(limiter.sequentialP50Micros, 0)} / ${fmt(limiter.sequentialP99Micros, 0)} µs`],
      [`closed loop, ${settings.connections} callers`, `${fmt(limiter.loadedCallsPerSecond, 0)} calls/s, p50 ${fmt(limiter.loadedP50Micros, 0)} µs, p99 ${fmt(limiter.loadedP99Micros, 0)} µs`],
      ['API-process CPU per call', `${fmt(limiter.cpuMicrosPerCall, 1)} µs`],
    ],
  );

  const lanyardCpu = l.load.cpuMicrosPerRequest?.server ?? Number.NaN;
  const cpuShare = limiter.cpuMicrosPerCall / lanyardCpu;
  const latencyShare = limiter.sequentialP50Micros / 1000 / l.unloaded.p50Ms;
  const abCost = 1 - l.load.requestsPerSecond / n.load.requestsPerSecond;
  const abCpuCost = 1 - (n.load.cpuMicrosPerRequest?.server ?? Number.NaN) / lanyardCpu;
  const peerCpu = p.load.cpuMicrosPerRequest?.server ?? Number.NaN;
  const summary = {
    lanyard: l,
    peer: p,
    peerRedis: r,
    ratioLanyardToPeerRedis: ratio(l.load.requestsPerSecond, r.load.requestsPerSecond),
    totalCpuRatioPeerRedisToLanyard: ratio(totalCpuMicros(r.load), totalCpuMicros(l.load)),
    ...keycloakComparison(l, k, keycloak),
    lanyardWithoutLimiter: n,
    limiter,
    ratioLanyardToPeer: ratio(l.load.requestsPerSecond, p.load.requestsPerSecond),
    cpuRatioPeerToLanyard: ratio(peerCpu, lanyardCpu),
    limiterCostShareOfThroughput: cpuShare,
    limiterLatencyShare: latencyShare,
    limiterCostAbCrossCheck: abCost,
    limiterCpuShareAbCrossCheck: abCpuCost,
  };
  printRatios([
    ['Lanyard / peer (in memory) throughput', `${times(summary.ratioLanyardToPeer)} (target ≥ 2×)`],
    ['Lanyard / peer (Redis adapter) throughput', `${times(summary.ratioLanyardToPeerRedis)} (target ≥ 2×)`],
    ['peer (Redis) / Lanyard total CPU per request (process + PostgreSQL + Redis)', `${times(summary.totalCpuRatioPeerRedisToLanyard)} (${fmt(totalCpuMicros(r.load), 0)} µs vs ${fmt(totalCpuMicros(l.load), 0)} µs)`],
    k === undefined
      ? ['Lanyard / Keycloak throughput', `missing: ${keycloak.missing}`]
      : ['Lanyard / Keycloak throughput (one core each)', `${times(summary.ratioLanyardToKeycloak!)} (target ≥ 10×)`],
    ...(k === undefined ? [] : [['Keycloak / Lanyard total CPU per request (process + PostgreSQL + Redis)', `${times(summary.totalCpuRatioKeycloakToLanyard!)} (${fmt(totalCpuMicros(k.load), 0)} µs vs ${fmt(totalCpuMicros(l.load), 0)} µs)`] as const]),
    ['peer (in memory) / Lanyard CPU per request (process only)', `${times(summary.cpuRatioPeerToLanyard)} (${fmt(peerCpu, 0)} µs vs ${fmt(lanyardCpu, 0)} µs)`],
    ['limiter cost as % of token endpoint throughput', `${percent(cpuShare)} (limiter CPU ${fmt(limiter.cpuMicrosPerCall, 1)} µs ÷ request CPU ${fmt(lanyardCpu, 0)} µs; budget ≤ 15 %)`],
    ['limiter share of unloaded token latency', `${percent(latencyShare)} (${fmt(limiter.sequentialP50Micros, 0)} µs of ${fmt(l.unloaded.p50Ms * 1000, 0)} µs)`],
    ['cross-check A/B (limiter stubbed): throughput lost', `${percent(abCost)} (separate runs; negative = stubbed build was slower)`],
    ['cross-check A/B (limiter stubbed): CPU per request', `${percent(abCpuCost)} of the request's CPU (same sign convention)`],
  ]);
  writeResults('client-credentials', summary);
});
