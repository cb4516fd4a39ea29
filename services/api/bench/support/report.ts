import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadFigures } from './load.js';
import { settings } from './settings.js';

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

/** A plain fixed-width table on stdout. */
export function printTable(title: string, header: readonly string[], rows: ReadonlyArray<readonly string[]>): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(`\n${title}`);
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

/**
 * One row per load run: throughput, latency (autocannon: whole milliseconds), errors, CPU per request,
 * and how busy the process under test was (well below 1.0 means it waited on something else).
 */
export function printLoadTable(title: string, runs: readonly LoadFigures[]): void {
  printTable(
    title,
    ['target', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'requests', 'CPU µs/req (proc | pg | redis)', 'proc cores', 'peak RSS MiB'],
    runs.map((r) => [
      r.label,
      fmt(r.requestsPerSecond, 0),
      fmt(r.p50Ms, 2),
      fmt(r.p99Ms, 2),
      String(r.errors),
      String(r.total),
      r.cpuMicrosPerRequest === undefined
        ? '-'
        : `${fmt(r.cpuMicrosPerRequest.server, 0)} | ${fmt(r.cpuMicrosPerRequest.postgres, 0)} | ${fmt(r.cpuMicrosPerRequest.redis, 0)}`,
      r.serverCores === undefined ? '-' : fmt(r.serverCores, 2),
      r.serverPeakRssMiB === undefined ? '-' : fmt(r.serverPeakRssMiB, 0),
    ]),
  );
}

export function printRatios(rows: ReadonlyArray<readonly [string, string]>): void {
  printTable('Ratios', ['figure', 'value'], rows);
}

export const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);
export const times = (value: number) => `${fmt(value, 2)}×`;
export const percent = (value: number) => `${fmt(value * 100, 1)} %`;
export { fmt };

/** Writes `<name>.json` into BENCH_RESULTS_DIR when set (run-all.sh's summary reads these), with the machine mode it ran in. */
export function writeResults(name: string, data: object): void {
  if (settings.resultsDir === undefined) return;
  mkdirSync(settings.resultsDir, { recursive: true });
  writeFileSync(join(settings.resultsDir, `${name}.json`), `${JSON.stringify({ ...data, busy: settings.busy }, null, 2)}\n`);
}

/** Settings line printed above every bench, so figures are never read without their conditions. */
export function printConditions(extra: Record<string, string | number> = {}): void {
  const all = {
    duration: `${settings.durationSeconds}s`,
    warmup: `${settings.warmupSeconds}s`,
    rounds: settings.rounds,
    'server cpus': settings.serverCpus,
    'client cpus': settings.clientCpus,
    pipelining: 1,
    mode: settings.busy ? `busy (a CPU hog spins on cpus ${settings.clientCpus})` : 'quiet',
    ...extra,
  };
  console.log(Object.entries(all).map(([k, v]) => `${k}=${v}`).join('  '));
  console.log(`machine load: ${machineLoad()} (2 cores; other work on the machine skews every figure)`);
}

/** 1/5/15-minute load averages, printed with the figures because a shared machine skews them. */
export function machineLoad(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}
