// Soak (a benchmark, not a test: nothing asserts). The production bundle (`node dist/api.js`,
// NODE_ENV=production) on its own CPU, this driver on the other, a fresh bench database. First a
// short closed-loop client_credentials run measures capacity; a short calibration run prices the
// mix (client_credentials, refresh_token rotation, hosted logins with Argon2id, admin writes) in API
// CPU per operation; then the mix runs open loop at the arrival rate that keeps the API at
// SOAK_LOAD_PERCENT of the CPU it used at capacity, for SOAK_SECONDS, while RSS, heap, event-loop
// lag and CPU are sampled. The summary gives the least-squares slope of each over the second half.
// Run: npm run soak      (SOAK_SECONDS=60 npm run soak for a short run; knobs below and in settings.ts)
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '@lanyard/testing';
import { benchDatabase } from './support/bench-database.js';
import { basicAuth, checkClientCredentials, CLIENT_CREDENTIALS_BODY, ensureBenchTenant, SERVICE_CLIENT, startLanyard } from './support/lanyard.js';
import { runLoad, type LoadFigures } from './support/load.js';
import { cpuSeconds, pinSelf } from './support/processes.js';
import { productionBundle } from './support/production-bundle.js';
import { fmt, machineLoad, printLoadTable, printTable } from './support/report.js';
import { benchSecrets, repoRoot, settings } from './support/settings.js';
import { serverSampler, type ServerReading } from './support/soak-sampler.js';
import { leastSquaresTrend, range, type Range, type Trend } from './support/soak-stats.js';
import { OPERATION_KINDS, REQUEST_KINDS, SoakWorkload, type Rates, type RequestKind } from './support/soak-workload.js';

/** A knob from the environment: a positive integer, or with `decimal` a non-negative number. */
const number = (name: string, fallback: number, { decimal = false } = {}): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  const ok = decimal ? Number.isFinite(value) && value >= 0 : Number.isInteger(value) && value > 0;
  if (!ok) throw new Error(`${name} must be ${decimal ? 'a non-negative number' : 'a positive integer'} (got "${raw}")`);
  return value;
};

const soak = {
  /** Seconds of mixed load. */
  seconds: number('SOAK_SECONDS', 600),
  /** Seconds between readings of the process under test (RSS, a metrics scrape, CPU). */
  probeSeconds: number('SOAK_PROBE_SECONDS', 2),
  /** Seconds between printed rows (a multiple of the probe interval). */
  sampleSeconds: number('SOAK_SAMPLE_SECONDS', 10),
  /** Seconds of the closed-loop client_credentials run that measures capacity (after BENCH_WARMUP). */
  capacitySeconds: number('SOAK_CAPACITY_SECONDS', 15),
  /**
   * Load of the soak, as a percentage of capacity: the mix's arrival rate is set so that the API
   * uses this share of the CPU it used during the capacity run (refreshes and logins cost more than
   * a client_credentials request, so a plain share of that req/s would overload it).
   */
  loadPercent: number('SOAK_LOAD_PERCENT', 70, { decimal: true }),
  /** Seconds of the calibration run (the mix at SOAK_CALIBRATION_PERCENT of the capacity's req/s; also the mix's warm-up). */
  calibrationSeconds: number('SOAK_CALIBRATION_SECONDS', 15),
  calibrationPercent: number('SOAK_CALIBRATION_PERCENT', 25, { decimal: true }),
  /** Shares of the arrivals, in percent; client_credentials takes the rest. A login is a whole flow (4 requests). */
  refreshPercent: number('SOAK_REFRESH_PERCENT', 10, { decimal: true }),
  loginPercent: number('SOAK_LOGIN_PERCENT', 0.1, { decimal: true }),
  adminPercent: number('SOAK_ADMIN_PERCENT', 0.5, { decimal: true }),
  /** Login flows before the clock starts, each leaving a refresh token to rotate. */
  refreshChains: number('SOAK_REFRESH_CHAINS', 64),
  /** Thresholds of the verdicts. */
  rssLimitMiB: number('SOAK_RSS_LIMIT_MIB', 150, { decimal: true }),
  slopeLimitMiBPerMinute: number('SOAK_SLOPE_LIMIT_MIB_PER_MIN', 0.5, { decimal: true }),
  lagSlopeLimitMsPerMinute: number('SOAK_LAG_SLOPE_LIMIT_MS_PER_MIN', 1, { decimal: true }),
  /** Extra environment of the API process as JSON, for A/B runs (e.g. '{"MALLOC_ARENA_MAX":"2"}'); unset = as shipped. */
  apiEnv: JSON.parse(process.env.SOAK_API_ENV || '{}') as Record<string, string>,
};
const probesPerRow = Math.max(1, Math.round(soak.sampleSeconds / soak.probeSeconds));

/** One reading of the process under test, every SOAK_PROBE_SECONDS. */
interface Probe extends ServerReading {
  readonly tSeconds: number;
  /** A major GC ran since the previous probe: heap and RSS are at the bottom of V8's saw-tooth. */
  readonly afterMajorGc: boolean;
}

/** One printed row, every SOAK_SAMPLE_SECONDS: its last probe, worst lag and mean CPU of its probes, request figures of its interval. */
interface Row {
  readonly tSeconds: number;
  readonly rssMiB: number;
  readonly heapUsedMiB: number;
  readonly oldSpaceMiB: number;
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  readonly serverCores: number;
  readonly postgresCores: number;
  readonly redisCores: number;
  readonly driverCores: number;
  readonly driverLagP99Ms: number;
  readonly majorGcs: number;
  /** Requests answered (all kinds, every request of a login flow) per second over the interval. */
  readonly requestsPerSecond: number;
  readonly clientCredentialsP99Ms: number;
  readonly refreshP99Ms: number;
  readonly loginFlowP99Ms: number;
  /** Cumulative since the soak started. */
  readonly serverErrors: number;
  readonly refreshPool: number;
  readonly inFlight: number;
}

const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const resultsDir = settings.resultsDir ?? join(repoRoot, '.cache', 'bench', `soak-${stamp}`);
mkdirSync(resultsDir, { recursive: true });
const probesFile = join(resultsDir, 'soak-probes.jsonl');

const ROW_COLUMNS: ReadonlyArray<readonly [string, number, (r: Row) => string]> = [
  ['t s', 5, (r) => fmt(r.tSeconds, 0)],
  ['RSS MiB', 7, (r) => fmt(r.rssMiB, 1)],
  ['heap', 5, (r) => fmt(r.heapUsedMiB, 1)],
  ['old', 5, (r) => fmt(r.oldSpaceMiB, 1)],
  ['lag p99', 7, (r) => fmt(r.lagP99Ms, 1)],
  ['lag max', 7, (r) => fmt(r.lagMaxMs, 1)],
  ['GCs', 3, (r) => String(r.majorGcs)],
  ['API', 4, (r) => fmt(r.serverCores, 2)],
  ['pg', 4, (r) => fmt(r.postgresCores, 2)],
  ['redis', 5, (r) => fmt(r.redisCores, 2)],
  ['drv', 4, (r) => fmt(r.driverCores, 2)],
  ['req/s', 5, (r) => fmt(r.requestsPerSecond, 0)],
  ['cc p99', 6, (r) => fmt(r.clientCredentialsP99Ms, 1)],
  ['rt p99', 6, (r) => fmt(r.refreshP99Ms, 1)],
  ['login p99', 9, (r) => fmt(r.loginFlowP99Ms, 0)],
  ['5xx', 3, (r) => String(r.serverErrors)],
  ['pool', 4, (r) => String(r.refreshPool)],
  ['in flight', 9, (r) => String(r.inFlight)],
];
const rowLine = (cells: readonly string[]) => cells.map((c, i) => c.padStart(ROW_COLUMNS[i]![1])).join('  ');

/** `total` operations per second split by the mix's shares. */
function ratesFor(total: number): Rates {
  const share = (percent: number) => (total * percent) / 100;
  const others = soak.refreshPercent + soak.loginPercent + soak.adminPercent;
  if (others >= 100) throw new Error('SOAK_REFRESH_PERCENT + SOAK_LOGIN_PERCENT + SOAK_ADMIN_PERCENT must leave room for client_credentials');
  return { client_credentials: share(100 - others), refresh_token: share(soak.refreshPercent), login: share(soak.loginPercent), admin_write: share(soak.adminPercent) };
}

const signed = (value: number, digits: number) => `${value >= 0 ? '+' : ''}${fmt(value, digits)}`;
const maxOf = (values: readonly number[]) => {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : Math.max(...finite);
};
const meanOf = (values: readonly number[]) => {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : finite.reduce((a, b) => a + b, 0) / finite.length;
};

async function main(): Promise<void> {
  pinSelf(settings.clientCpus);
  console.log(`# soak: ${soak.seconds}s of mixed open-loop load at ${soak.loadPercent} % of the measured capacity (API CPU), production bundle`);
  console.log(
    Object.entries({
      'soak seconds': soak.seconds,
      probe: `${soak.probeSeconds}s`,
      row: `${probesPerRow * soak.probeSeconds}s`,
      'capacity run': `${settings.warmupSeconds}s warm-up + ${soak.capacitySeconds}s at ${settings.connections} connections`,
      calibration: `${soak.calibrationSeconds}s at ${soak.calibrationPercent} % of capacity req/s`,
      mix: `refresh ${soak.refreshPercent} %, login ${soak.loginPercent} %, admin ${soak.adminPercent} %, client_credentials the rest`,
      'server cpus': settings.serverCpus,
      'client cpus': settings.clientCpus,
      argon2: `m=${settings.argon2.memoryCost}KiB,t=${settings.argon2.timeCost},p=${settings.argon2.parallelism}`,
      'API env': Object.keys(soak.apiEnv).length === 0 ? 'as shipped' : JSON.stringify(soak.apiEnv),
      node: process.version,
    })
      .map(([k, v]) => `${k}=${v}`)
      .join('  '),
  );
  console.log(`machine load: ${machineLoad()} (2 cores; other work on the machine skews every figure)`);
  console.log(`figures: ${resultsDir}`);

  const entry = productionBundle('api');
  const database = await benchDatabase();
  const metricsPort = await freePort();
  const server = await startLanyard(database.url, { ...soak.apiEnv, METRICS_PORT: String(metricsPort) }, entry);
  let workload: SoakWorkload | undefined;
  let sampler: ReturnType<typeof serverSampler> | undefined;
  try {
    const { emails } = await ensureBenchTenant(server);
    const tokenUrl = `${server.issuer}/oauth2/token`;
    await checkClientCredentials(tokenUrl, SERVICE_CLIENT, benchSecrets.serviceSecret, CLIENT_CREDENTIALS_BODY);

    // 1. Capacity: closed loop, client_credentials only, as client-credentials.ts measures it.
    const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(SERVICE_CLIENT, benchSecrets.serviceSecret) };
    const closedLoop = { url: tokenUrl, method: 'POST', headers, body: CLIENT_CREDENTIALS_BODY, connections: settings.connections };
    await runLoad('capacity (warm-up)', { ...closedLoop, duration: settings.warmupSeconds });
    const capacity: LoadFigures = await runLoad('capacity: client_credentials, closed loop', { ...closedLoop, duration: soak.capacitySeconds }, server.process.pid);
    printLoadTable(`Capacity: client_credentials at ${settings.connections} connections, ${soak.capacitySeconds}s`, [capacity]);

    // 2. Set-up through the API itself: refresh chains from real logins, one admin write of each step.
    workload = new SoakWorkload(server, emails);
    await workload.seedRefreshChains(soak.refreshChains);
    await workload.checkAdmin();
    workload.resetStats();

    // 3. Calibration (and warm-up of every path): the mix at a modest rate, priced in API CPU per operation.
    const calibrationRates = ratesFor((capacity.requestsPerSecond * soak.calibrationPercent) / 100);
    const cpuBefore = cpuSeconds(server.process.pid);
    const calibration = await workload.run(calibrationRates, soak.calibrationSeconds, soak.calibrationSeconds + 1, async () => {});
    const calibrationOps = OPERATION_KINDS.reduce((sum, k) => sum + calibration.sent[k], 0);
    const cpuPerOperation = (cpuSeconds(server.process.pid) - cpuBefore) / calibrationOps;
    const unexpected = (w: SoakWorkload) => [...w.stats].flatMap(([kind, st]) => [...st.statuses].filter(([status]) => !/^[23]\d\d$|^ok$/.test(status)).map(([status, n]) => `${kind} ${status}: ${n}`));
    const calibrationErrors = unexpected(workload);
    const capacityCores = capacity.serverCores ?? 1;
    const cpuPerCapacityRequest = capacityCores / capacity.requestsPerSecond;
    const targetCores = (capacityCores * soak.loadPercent) / 100;
    const totalRate = targetCores / cpuPerOperation;
    const rates = ratesFor(totalRate);
    const calibrationFigures = {
      seconds: soak.calibrationSeconds,
      operationsPerSecond: calibrationOps / calibration.elapsedSeconds,
      cpuMicrosPerOperation: cpuPerOperation * 1e6,
      cpuMicrosPerCapacityRequest: cpuPerCapacityRequest * 1e6,
      targetCores,
      unexpectedStatuses: calibrationErrors,
    };
    console.log(
      `\nCalibration: the mix at ${fmt(calibrationFigures.operationsPerSecond, 0)} operations/s for ${soak.calibrationSeconds}s costs ${fmt(cpuPerOperation * 1e6, 0)} µs of API CPU per operation ` +
        `(client_credentials at capacity: ${fmt(cpuPerCapacityRequest * 1e6, 0)} µs per request)${calibrationErrors.length === 0 ? '' : `; unexpected: ${calibrationErrors.join(', ')}`}`,
    );
    console.log(
      `Soak arrival rate: ${fmt(totalRate, 0)} operations/s, for ${soak.loadPercent} % of the API CPU at capacity (${fmt(capacityCores, 2)} × ${soak.loadPercent} % = ${fmt(targetCores, 2)} cores; ` +
        `${fmt((totalRate / capacity.requestsPerSecond) * 100, 0)} % of capacity in req/s): ${OPERATION_KINDS.map((k) => `${k} ${fmt(rates[k], rates[k] < 10 ? 2 : 0)}/s`).join(', ')}`,
    );
    workload.resetStats();

    // 4. The soak: a probe every probeSeconds, a row every sampleSeconds.
    sampler = serverSampler(server.process.pid, `http://127.0.0.1:${metricsPort}/metrics`);
    const first = await sampler.read(); // resets the lag histogram and CPU baselines; the t=0 row is 2 s of idle
    await sleep(2_000);
    const probes: Probe[] = [];
    const rows: Row[] = [];
    const w = workload;
    const sm = sampler;
    let lastMajorGcs = first.majorGcs;
    let rowProbes: Probe[] = [];
    let lastRowAt = 0;
    const stat = (kind: RequestKind) => w.stats.get(kind)!;
    const emitRow = (tSeconds: number) => {
      let answered = 0;
      let serverErrors = 0;
      for (const kind of REQUEST_KINDS) {
        if (kind === 'login flow') continue;
        answered += stat(kind).window.count;
        serverErrors += stat(kind).serverErrors;
      }
      const last = rowProbes[rowProbes.length - 1]!;
      const row: Row = {
        tSeconds,
        rssMiB: last.rssMiB,
        heapUsedMiB: last.heapUsedMiB,
        oldSpaceMiB: last.oldSpaceMiB,
        lagP99Ms: maxOf(rowProbes.map((p) => p.lagP99Ms)),
        lagMaxMs: maxOf(rowProbes.map((p) => p.lagMaxMs)),
        serverCores: meanOf(rowProbes.map((p) => p.serverCores)),
        postgresCores: meanOf(rowProbes.map((p) => p.postgresCores)),
        redisCores: meanOf(rowProbes.map((p) => p.redisCores)),
        driverCores: meanOf(rowProbes.map((p) => p.driverCores)),
        driverLagP99Ms: maxOf(rowProbes.map((p) => p.driverLagP99Ms)),
        majorGcs: rowProbes.filter((p) => p.afterMajorGc).length,
        requestsPerSecond: tSeconds > lastRowAt ? answered / (tSeconds - lastRowAt) : 0,
        clientCredentialsP99Ms: stat('client_credentials').window.percentile(0.99),
        refreshP99Ms: stat('refresh_token').window.percentile(0.99),
        loginFlowP99Ms: stat('login flow').window.percentile(0.99),
        serverErrors,
        refreshPool: w.refreshPoolSize,
        inFlight: w.inFlight,
      };
      lastRowAt = tSeconds;
      rowProbes = [];
      for (const kind of REQUEST_KINDS) stat(kind).resetWindow();
      rows.push(row);
      console.log(rowLine(ROW_COLUMNS.map(([, , cell]) => cell(row))));
    };
    const probe = async (tSeconds: number) => {
      const reading = await sm.read();
      const p: Probe = { ...reading, tSeconds, afterMajorGc: reading.majorGcs > lastMajorGcs };
      if (Number.isFinite(reading.majorGcs)) lastMajorGcs = reading.majorGcs;
      probes.push(p);
      rowProbes.push(p);
      appendFileSync(probesFile, `${JSON.stringify(p)}\n`);
      if (tSeconds === 0 || rowProbes.length >= probesPerRow || tSeconds >= soak.seconds) emitRow(tSeconds);
    };
    console.log(
      `\nSamples (a row every ${probesPerRow * soak.probeSeconds}s from probes every ${soak.probeSeconds}s: RSS/heap/old space = last probe; lag = worst probe, ` +
        `prom-client event-loop delay, 10 ms resolution; GCs = probes after a major GC; CPU in cores; p99 in ms from the scheduled send; 5xx cumulative)`,
    );
    console.log(rowLine(ROW_COLUMNS.map(([name]) => name)));
    console.log(ROW_COLUMNS.map(([, width]) => '-'.repeat(width)).join('  '));
    await probe(0);
    const run = await workload.run(rates, soak.seconds, soak.probeSeconds, probe);
    if (probes[probes.length - 1]!.tSeconds < soak.seconds) await probe(soak.seconds); // a last probe skipped behind a slow one

    // 5. Summary.
    const loaded = probes.filter((p) => p.tSeconds > 0);
    const secondHalf = loaded.filter((p) => p.tSeconds >= soak.seconds / 2);
    const afterGc = secondHalf.filter((p) => p.afterMajorGc);
    const trend = (points: readonly Probe[], pick: (p: Probe) => number): Trend => leastSquaresTrend(points.map((p) => ({ tSeconds: p.tSeconds, y: pick(p) })));
    const series = (pick: (p: Probe) => number) => ({ ...range(loaded.map(pick)), trend: trend(secondHalf, pick), afterGcTrend: trend(afterGc, pick) });
    const memory = {
      rss: series((p) => p.rssMiB),
      heapUsed: series((p) => p.heapUsedMiB),
      oldSpace: series((p) => p.oldSpaceMiB),
      lagP99: series((p) => p.lagP99Ms),
      lagMax: series((p) => p.lagMaxMs),
      peakRssMiB: maxOf(probes.map((p) => p.peakRssMiB)),
      majorGcs: loaded.filter((p) => p.afterMajorGc).length,
      majorGcsSecondHalf: afterGc.length,
    };
    const perKind = REQUEST_KINDS.map((kind) => {
      const st = w.stats.get(kind)!;
      return {
        kind,
        total: st.total,
        statuses: Object.fromEntries([...st.statuses].sort(([a], [b]) => a.localeCompare(b))),
        serverErrors: st.serverErrors,
        perSecond: st.total / run.elapsedSeconds,
        p50Ms: st.latency.percentile(0.5),
        p99Ms: st.latency.percentile(0.99),
        maxMs: st.latency.maxMs,
      };
    });
    const answered = perKind.filter((k) => k.kind !== 'login flow').reduce((sum, k) => sum + k.total, 0);
    const sentOps = OPERATION_KINDS.reduce((sum, k) => sum + run.sent[k], 0);
    const droppedOps = OPERATION_KINDS.reduce((sum, k) => sum + run.dropped[k], 0);
    const serverErrors = perKind.reduce((sum, k) => sum + k.serverErrors, 0);
    const meanCores = { server: meanOf(loaded.map((p) => p.serverCores)), postgres: meanOf(loaded.map((p) => p.postgresCores)), redis: meanOf(loaded.map((p) => p.redisCores)), driver: meanOf(loaded.map((p) => p.driverCores)) };

    printTable(
      `Requests by kind and status (${fmt(run.elapsedSeconds, 0)}s; latency from the scheduled send time, open loop)`,
      ['kind', 'total', 'per s', 'statuses', '5xx', 'p50 ms', 'p99 ms', 'max ms'],
      perKind.map((k) => [k.kind, String(k.total), fmt(k.perSecond, k.perSecond < 10 ? 2 : 0), Object.entries(k.statuses).map(([status, n]) => `${status}: ${n}`).join(', ') || '-', String(k.serverErrors), fmt(k.p50Ms, 2), fmt(k.p99Ms, 2), fmt(k.maxMs, 1)]),
    );
    printTable(
      'Arrival rate: target vs achieved (operations; a login is one flow)',
      ['operation', 'target /s', 'sent /s', 'dropped'],
      OPERATION_KINDS.map((k) => [k, fmt(rates[k], 2), fmt(run.sent[k] / run.elapsedSeconds, 2), String(run.dropped[k])]),
    );
    const slope = (t: Trend, unit: string) => (Number.isFinite(t.slopePerMinute) ? `${signed(t.slopePerMinute, 3)} ${unit}/min (${t.points})` : `n/a (${t.points} points)`);
    const seriesRow = (name: string, s: Range & { trend: Trend; afterGcTrend: Trend }, unit: string, withGc = true): string[] => [
      name,
      fmt(s.min, 1),
      fmt(s.max, 1),
      fmt(s.last, 1),
      slope(s.trend, unit),
      withGc ? slope(s.afterGcTrend, unit) : '-',
    ];
    printTable(
      `Process under test over the soak (${loaded.length} probes; slopes: least squares over the second half, t ≥ ${fmt(soak.seconds / 2, 0)}s, (points); "after major GC": only the probes that follow one, the bottom of V8's saw-tooth)`,
      ['figure', 'min', 'max', 'last', 'slope, all probes', 'slope, after major GC'],
      [
        seriesRow('RSS (MiB)', memory.rss, 'MiB'),
        seriesRow('heap used (MiB)', memory.heapUsed, 'MiB'),
        seriesRow('old space used (MiB)', memory.oldSpace, 'MiB'),
        seriesRow('event-loop lag p99 (ms)', memory.lagP99, 'ms', false),
        seriesRow('event-loop lag max (ms)', memory.lagMax, 'ms', false),
      ],
    );
    printTable('Load figures', ['figure', 'value'], [
      ['capacity (client_credentials, closed loop)', `${fmt(capacity.requestsPerSecond, 0)} req/s, API ${fmt(capacityCores, 2)} cores (${fmt(cpuPerCapacityRequest * 1e6, 0)} µs CPU per request)`],
      ['calibration: API CPU per operation of the mix', `${fmt(cpuPerOperation * 1e6, 0)} µs`],
      ['target', `${fmt(totalRate, 0)} operations/s (API at ${soak.loadPercent} % of its CPU at capacity: ${fmt(targetCores, 2)} cores; ${fmt((totalRate / capacity.requestsPerSecond) * 100, 0)} % of capacity req/s)`],
      ['achieved', `${fmt(sentOps / run.elapsedSeconds, 0)} operations/s, ${fmt(answered / run.elapsedSeconds, 0)} requests/s answered; ${droppedOps} dropped by the driver`],
      ['mean CPU: API | PostgreSQL | Redis | driver', `${fmt(meanCores.server, 2)} | ${fmt(meanCores.postgres, 2)} | ${fmt(meanCores.redis, 2)} | ${fmt(meanCores.driver, 2)} cores (PostgreSQL and Redis: every process of that name on the machine)`],
      ['driver event-loop delay p99 (worst probe)', `${fmt(maxOf(loaded.map((p) => p.driverLagP99Ms)), 1)} ms`],
      ['major GCs during the soak', `${memory.majorGcs} (second half: ${memory.majorGcsSecondHalf})`],
      ['peak RSS (VmHWM, whole life incl. capacity run and set-up)', `${fmt(memory.peakRssMiB, 1)} MiB`],
    ]);

    // The verdict's trend reads the after-GC probes (the live set), or every probe when fewer than 3 major GCs fell in the second half.
    const memoryTrend = (s: { trend: Trend; afterGcTrend: Trend }) => (s.afterGcTrend.points >= 3 ? { basis: 'after major GC', trend: s.afterGcTrend } : { basis: 'all probes', trend: s.trend });
    const rssTrend = memoryTrend(memory.rss);
    const heapTrend = memoryTrend(memory.heapUsed);
    const rssOk = memory.rss.max <= soak.rssLimitMiB;
    const rssFlat = rssTrend.trend.slopePerMinute < soak.slopeLimitMiBPerMinute;
    const heapFlat = heapTrend.trend.slopePerMinute < soak.slopeLimitMiBPerMinute;
    const lagFlat = memory.lagP99.trend.slopePerMinute < soak.lagSlopeLimitMsPerMinute;
    const verdicts = {
      rssWithinLimit: rssOk,
      noGrowthTrend: rssFlat && heapFlat && lagFlat,
      rssFlat,
      heapFlat,
      lagFlat,
      trendBasis: { rss: rssTrend.basis, heap: heapTrend.basis, lag: 'all probes' },
      noServerErrors: serverErrors === 0,
    };
    const yes = (ok: boolean) => (ok ? 'yes' : 'no');
    console.log('\nVerdict');
    console.log(`RSS ≤ ${soak.rssLimitMiB} MiB: ${yes(rssOk)} (max ${fmt(memory.rss.max, 1)} MiB under load, min ${fmt(memory.rss.min, 1)}, last ${fmt(memory.rss.last, 1)})`);
    console.log(
      `no growth trend: ${yes(verdicts.noGrowthTrend)} (second half: RSS ${signed(rssTrend.trend.slopePerMinute, 3)} and heap ${signed(heapTrend.trend.slopePerMinute, 3)} MiB/min, ${rssTrend.basis}, each < ${soak.slopeLimitMiBPerMinute}; ` +
        `lag p99 ${signed(memory.lagP99.trend.slopePerMinute, 3)} ms/min < ${soak.lagSlopeLimitMsPerMinute})`,
    );
    console.log(`5xx responses: ${serverErrors}${serverErrors === 0 ? '' : ` (${perKind.filter((k) => k.serverErrors > 0).map((k) => `${k.kind}: ${k.serverErrors}`).join(', ')})`}`);
    const other = unexpected(w).filter((line) => !/ 5\d\d: /.test(line));
    if (other.length > 0) console.log(`other unexpected outcomes: ${other.join(', ')}`);

    const apiLog = server.process.output();
    writeFileSync(join(resultsDir, 'api.log'), apiLog);
    const logLines = apiLog.split('\n').filter((line) => line.trim() !== '');
    const levels = (level: string) => logLines.filter((line) => line.includes(`"level":"${level}"`)).length;
    console.log(`API log (LOG_LEVEL=warn, whole life): ${logLines.length} lines, ${levels('error')} error, ${levels('warn')} warn`);
    console.log(`machine load at the end: ${machineLoad()}`);

    const results = {
      conditions: { ...soak, probesPerRow, serverCpus: settings.serverCpus, clientCpus: settings.clientCpus, connections: settings.connections, warmupSeconds: settings.warmupSeconds, argon2: settings.argon2, bundle: entry, nodeEnv: 'production', node: process.version },
      capacity,
      calibration: calibrationFigures,
      rates,
      run,
      requests: perKind,
      achieved: { operationsPerSecond: sentOps / run.elapsedSeconds, requestsPerSecond: answered / run.elapsedSeconds, droppedOperations: droppedOps },
      memory,
      meanCores,
      verdicts,
      serverErrors,
      apiLog: { lines: logLines.length, errors: levels('error'), warnings: levels('warn') },
      rows,
      probes,
    };
    writeFileSync(join(resultsDir, 'soak.json'), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`figures kept in ${resultsDir} (soak.json, soak-probes.jsonl, api.log)`);
  } finally {
    sampler?.stop();
    workload?.close();
    await server.stop();
    await database.release();
  }
}

await main();
