import autocannon, { type Options, type Result } from 'autocannon';
import { cpuMeter, rssMiB } from './processes.js';

export interface LoadFigures {
  readonly label: string;
  /** Mean of autocannon's per-second samples (successful or not). */
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Connection errors + timeouts + non-2xx answers (+ body mismatches). */
  readonly errors: number;
  readonly total: number;
  readonly durationSeconds: number;
  readonly statusCodes: Record<string, number>;
  /** CPU time per request, in µs, of the process under test, PostgreSQL and Redis. */
  readonly cpuMicrosPerRequest?: { readonly server: number; readonly serverMainThread: number; readonly postgres: number; readonly redis: number };
  /** Cores the process under test kept busy on average (1.0 = its pinned core saturated). */
  readonly serverCores?: number;
  /** Peak resident set of the process under test so far (VmHWM), in MiB. */
  readonly serverPeakRssMiB?: number;
}

/** Same settings for every target (comparable runs, docs/reference/performance-budget.md); pipelining is always 1. */
export async function runLoad(label: string, options: Options, serverPid?: number): Promise<LoadFigures> {
  const meter = serverPid === undefined ? undefined : cpuMeter(serverPid);
  const result: Result = await autocannon({ pipelining: 1, timeout: 10, ...options });
  const cpu = meter?.stop();
  const total = result.requests.total;
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count]));
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx + result.mismatches,
    total,
    durationSeconds: result.duration,
    statusCodes,
    ...(cpu === undefined || total === 0
      ? {}
      : {
          cpuMicrosPerRequest: {
            server: (cpu.server * 1e6) / total,
            serverMainThread: (cpu.serverMainThread * 1e6) / total,
            postgres: (cpu.postgres * 1e6) / total,
            redis: (cpu.redis * 1e6) / total,
          },
          serverCores: cpu.server / result.duration,
          serverPeakRssMiB: rssMiB(serverPid!, 'VmHWM'),
        }),
  };
}

/** The median round by throughput (rounds alternate targets, so drift hits both sides alike). */
export function medianRound<T extends { readonly requestsPerSecond: number }>(rounds: readonly T[]): T {
  const sorted = [...rounds].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** CPU per request of the process under test, PostgreSQL and Redis together: what a request costs the machine. */
export const totalCpuMicros = (figures: LoadFigures): number =>
  figures.cpuMicrosPerRequest === undefined ? Number.NaN : figures.cpuMicrosPerRequest.server + figures.cpuMicrosPerRequest.postgres + figures.cpuMicrosPerRequest.redis;

/**
 * Runs every target once per round, each round starting with the next target, so whatever one run
 * leaves behind (autovacuum, a warm or cold cache, drift of the machine) does not favour one side.
 */
export async function rotatedRounds(targets: ReadonlyArray<() => Promise<void>>, rounds: number): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < targets.length; i += 1) await targets[(round + i) % targets.length]!();
  }
}

/** The run whose load is the median round's ({@link medianRound}). */
export function medianRun<T extends { readonly load: LoadFigures }>(runs: readonly T[]): T {
  const median = medianRound(runs.map((run) => run.load));
  return runs.find((run) => run.load === median)!;
}
