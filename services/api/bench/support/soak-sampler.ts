// What the soak reads from the process under test while it runs: RSS from /proc, the default
// prom-client gauges from its metrics listener, and CPU time of it, PostgreSQL and Redis.
import { readFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { cpuSeconds, pidsNamed } from './processes.js';

const MiB = 1024 * 1024;

/** VmRSS and VmHWM (peak RSS) of `pid` in MiB, from /proc/<pid>/status; NaN once it is gone. */
export function residentMemory(pid: number): { readonly rssMiB: number; readonly peakMiB: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  } catch {
    return { rssMiB: Number.NaN, peakMiB: Number.NaN };
  }
}

/**
 * A Prometheus text exposition as a map: each series under its name with labels as exposed
 * (`nodejs_gc_duration_seconds_count{kind="major"}`), and each name alone with the sum of its series
 * (a gauge without labels is just its value).
 */
export function parseExposition(text: string): Map<string, number> {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})?\s+(\S+)/.exec(line);
    if (match === null) continue;
    const value = Number(match[3]);
    if (!Number.isFinite(value)) continue;
    values.set(match[1]!, (values.get(match[1]!) ?? 0) + value);
    if (match[2] !== undefined) values.set(`${match[1]!}${match[2]}`, value);
  }
  return values;
}

export interface ServerReading {
  readonly rssMiB: number;
  readonly peakRssMiB: number;
  readonly heapUsedMiB: number;
  readonly heapTotalMiB: number;
  /** V8's old generation alone (heap used minus the young generation's churn, code and large objects). */
  readonly oldSpaceMiB: number;
  /** Major (mark-compact) GCs since the process started. */
  readonly majorGcs: number;
  readonly externalMiB: number;
  /**
   * prom-client's event-loop delay histogram, reset at every scrape: p99 and max over the interval
   * since the previous scrape. Its 10 ms sampling resolution is included (an idle loop reads ~10 ms).
   */
  readonly lagP99Ms: number;
  readonly lagMaxMs: number;
  readonly activeHandles: number;
  readonly auditBuffered: number;
  /** Cores busy over the interval since the previous reading (1.0 = one core saturated). */
  readonly serverCores: number;
  readonly postgresCores: number;
  readonly redisCores: number;
  /** This driver process: its cores and its own event-loop delay p99 (a saturated driver skews latency). */
  readonly driverCores: number;
  readonly driverLagP99Ms: number;
}

/**
 * CPU seconds of every process named `name` since the previous call, per pid: one that started
 * meanwhile counts all its CPU time, one that ended drops out (no negative figure when another
 * bench's redis-server exits).
 */
function cpuOfProcessesNamed(name: string): () => number {
  const sample = () => new Map(pidsNamed(name).map((p) => [p, cpuSeconds(p)] as const));
  let before = sample();
  return () => {
    const now = sample();
    let seconds = 0;
    for (const [p, cpu] of now) seconds += Math.max(0, cpu - (before.get(p) ?? 0));
    before = now;
    return seconds;
  };
}

/** Reads the process under test at each `read()`; CPU and lag figures cover the time since the last one. */
export function serverSampler(pid: number, metricsUrl: string): { read(): Promise<ServerReading>; stop(): void } {
  let serverCpu = cpuSeconds(pid);
  const postgresCpu = cpuOfProcessesNamed('postgres');
  const redisCpu = cpuOfProcessesNamed('redis-server');
  let since = process.hrtime.bigint();
  let driverCpu = process.cpuUsage();
  const driverLag = monitorEventLoopDelay({ resolution: 10 });
  driverLag.enable();
  return {
    async read() {
      let metrics = new Map<string, number>();
      try {
        const response = await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) });
        if (response.status === 200) metrics = parseExposition(await response.text());
      } catch {
        // a missed scrape shows as n/a in that row
      }
      const memory = residentMemory(pid);
      const now = process.hrtime.bigint();
      const seconds = Number(now - since) / 1e9;
      const server = cpuSeconds(pid);
      const cpu = { server: server - serverCpu, postgres: postgresCpu(), redis: redisCpu() };
      serverCpu = server;
      const driver = process.cpuUsage(driverCpu);
      driverCpu = process.cpuUsage();
      since = now;
      const driverLagP99Ms = driverLag.percentile(99) / 1e6;
      driverLag.reset();
      const gauge = (name: string, scale = 1) => (metrics.has(name) ? metrics.get(name)! * scale : Number.NaN);
      return {
        rssMiB: memory.rssMiB,
        peakRssMiB: memory.peakMiB,
        heapUsedMiB: gauge('nodejs_heap_size_used_bytes', 1 / MiB),
        heapTotalMiB: gauge('nodejs_heap_size_total_bytes', 1 / MiB),
        oldSpaceMiB: gauge('nodejs_heap_space_size_used_bytes{space="old"}', 1 / MiB),
        majorGcs: gauge('nodejs_gc_duration_seconds_count{kind="major"}'),
        externalMiB: gauge('nodejs_external_memory_bytes', 1 / MiB),
        lagP99Ms: gauge('nodejs_eventloop_lag_p99_seconds', 1000),
        lagMaxMs: gauge('nodejs_eventloop_lag_max_seconds', 1000),
        activeHandles: gauge('nodejs_active_handles_total'),
        auditBuffered: gauge('identity_audit_events_buffered'),
        serverCores: cpu.server / seconds,
        postgresCores: cpu.postgres / seconds,
        redisCores: cpu.redis / seconds,
        driverCores: (driver.user + driver.system) / 1e6 / seconds,
        driverLagP99Ms,
      };
    },
    stop: () => driverLag.disable(),
  };
}
