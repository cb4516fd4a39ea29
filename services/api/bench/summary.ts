// Prints one summary table from the JSON the three benchmarks wrote into BENCH_RESULTS_DIR (one
// directory per mode, quiet or busy). Run by run-all.sh; `npx tsx services/api/bench/summary.ts <dir>`
// re-prints an earlier run.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fmt, machineLoad, percent, printTable, times } from './support/report.js';

interface Figures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  readonly cpuMicrosPerRequest?: { readonly server: number; readonly postgres: number; readonly redis: number };
  readonly serverPeakRssMiB?: number;
}

const dir = process.argv[2] ?? process.env.BENCH_RESULTS_DIR;
if (dir === undefined) throw new Error('usage: summary.ts <results dir> (or BENCH_RESULTS_DIR)');
const read = <T>(name: string): T | undefined => (existsSync(join(dir, `${name}.json`)) ? (JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as T) : undefined);

const cc = read<{
  lanyard: { load: Figures };
  peer: { load: Figures };
  peerRedis?: { load: Figures };
  ratioLanyardToPeerRedis?: number;
  totalCpuRatioPeerRedisToLanyard?: number;
  keycloak?: { load: Figures };
  keycloakMissing?: string;
  ratioLanyardToKeycloak?: number;
  totalCpuRatioKeycloakToLanyard?: number;
  busy?: boolean;
  lanyardWithoutLimiter: { load: Figures };
  ratioLanyardToPeer: number;
  limiterCostShareOfThroughput: number;
  limiterCostAbCrossCheck: number;
  limiterCpuShareAbCrossCheck: number;
  limiter: { cpuMicrosPerCall: number; sequentialP50Micros: number };
}>('client-credentials');
const rt = read<{
  lanyard: { load: Figures };
  peer: { load: Figures };
  peerRedis?: { load: Figures };
  ratioLanyardToPeer: number;
  ratioLanyardToPeerRedis?: number;
  cpuRatioPeerToLanyard: number;
  totalCpuRatioPeerRedisToLanyard?: number;
  keycloak?: { load: Figures };
  keycloakMissing?: string;
  ratioLanyardToKeycloak?: number;
  totalCpuRatioKeycloakToLanyard?: number;
}>('refresh');
const login = read<{
  login: Figures & { successPerSecond: number };
  argon2Bound: { verifiesPerSecond: number };
  loginShareOfBound: number;
  argon2BoundImageAllocator?: { verifiesPerSecond: number };
  loginShareOfImageAllocatorBound?: number;
  tokenAlone: { p99Ms: number };
  tokenWithLogins: { p99Ms: number };
}>('login');

const scale = read<{ one: { requestsPerSecond: number }; two: { requestsPerSecond: number }; ratioTwoToOne: number }>('scale-out');

const cpuCell = (f: Figures) => {
  const cpu = f.cpuMicrosPerRequest;
  return cpu === undefined ? '-' : `${fmt(cpu.server, 0)} | ${fmt(cpu.server + cpu.postgres + cpu.redis, 0)}`;
};
const row = (name: string, f: Figures | undefined): string[] =>
  f === undefined ? [name, '-', '-', '-', '-', '-'] : [name, fmt(f.requestsPerSecond, 0), fmt(f.p50Ms, 1), fmt(f.p99Ms, 1), String(f.errors), cpuCell(f)];
const cpuRatio = (peer: Figures, lanyard: Figures) => (peer.cpuMicrosPerRequest?.server ?? Number.NaN) / (lanyard.cpuMicrosPerRequest?.server ?? Number.NaN);

const mode = cc?.busy === true ? 'busy: a CPU hog on the driver\'s core' : 'quiet';
printTable(`Summary (${mode}): throughput and latency`, ['run', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'CPU µs/req (process | + PostgreSQL + Redis)'], [
  row('client_credentials — Lanyard', cc?.lanyard.load),
  row('client_credentials — node-oidc-provider (in memory)', cc?.peer.load),
  row('client_credentials — node-oidc-provider (Redis adapter)', cc?.peerRedis?.load),
  row(`client_credentials — Keycloak${cc?.keycloakMissing === undefined ? '' : ` (missing: ${cc.keycloakMissing})`}`, cc?.keycloak?.load),
  row('client_credentials — Lanyard, limiter stubbed', cc?.lanyardWithoutLimiter.load),
  row('refresh_token — Lanyard', rt?.lanyard.load),
  row('refresh_token — node-oidc-provider (in memory)', rt?.peer.load),
  row('refresh_token — node-oidc-provider (Redis adapter)', rt?.peerRedis?.load),
  row(`refresh_token — Keycloak${rt?.keycloakMissing === undefined ? '' : ` (missing: ${rt.keycloakMissing})`}`, rt?.keycloak?.load),
  row('hosted login — Lanyard', login?.login),
]);

const rows: Array<[string, string, string]> = [];
if (cc !== undefined) {
  rows.push(['client_credentials Lanyard / peer in memory (req/s)', times(cc.ratioLanyardToPeer), '≥ 2×']);
  rows.push(['client_credentials peer in memory / Lanyard (CPU per request)', times(cpuRatio(cc.peer.load, cc.lanyard.load)), '≥ 2×']);
  if (cc.ratioLanyardToPeerRedis !== undefined) rows.push(['client_credentials Lanyard / peer with Redis (req/s)', times(cc.ratioLanyardToPeerRedis), '≥ 2×']);
  if (cc.totalCpuRatioPeerRedisToLanyard !== undefined) rows.push(['client_credentials peer with Redis / Lanyard (total CPU: process + PostgreSQL + Redis)', times(cc.totalCpuRatioPeerRedisToLanyard), '≥ 2×']);
  if (cc.ratioLanyardToKeycloak !== undefined) rows.push(['client_credentials Lanyard / Keycloak (req/s, one core each)', times(cc.ratioLanyardToKeycloak), '≥ 10×']);
  if (cc.totalCpuRatioKeycloakToLanyard !== undefined) rows.push(['client_credentials Keycloak / Lanyard (total CPU)', times(cc.totalCpuRatioKeycloakToLanyard), '≥ 10×']);
  rows.push(['limiter cost, % of token throughput (isolated)', percent(cc.limiterCostShareOfThroughput), '≤ 15 %']);
  rows.push(['limiter cost, A/B cross-check (req/s | CPU)', `${percent(cc.limiterCostAbCrossCheck)} | ${percent(cc.limiterCpuShareAbCrossCheck)}`, '≤ 15 %']);
}
if (rt !== undefined) {
  rows.push(['refresh Lanyard / peer in memory (req/s)', times(rt.ratioLanyardToPeer), '≥ 2×']);
  rows.push(['refresh peer in memory / Lanyard (CPU per request)', times(rt.cpuRatioPeerToLanyard), '≥ 2×']);
  if (rt.ratioLanyardToPeerRedis !== undefined) rows.push(['refresh Lanyard / peer with Redis (req/s)', times(rt.ratioLanyardToPeerRedis), '≥ 2×']);
  if (rt.totalCpuRatioPeerRedisToLanyard !== undefined) rows.push(['refresh peer with Redis / Lanyard (total CPU: process + PostgreSQL + Redis)', times(rt.totalCpuRatioPeerRedisToLanyard), '≥ 2×']);
  if (rt.ratioLanyardToKeycloak !== undefined) rows.push(['refresh Lanyard / Keycloak (req/s, one core each)', times(rt.ratioLanyardToKeycloak), '≥ 10×']);
  if (rt.totalCpuRatioKeycloakToLanyard !== undefined) rows.push(['refresh Keycloak / Lanyard (total CPU)', times(rt.totalCpuRatioKeycloakToLanyard), '≥ 10×']);
}
if (login !== undefined) {
  rows.push(['logins/s vs Argon2 bound', `${fmt(login.login.successPerSecond, 1)} / ${fmt(login.argon2Bound.verifiesPerSecond, 1)} = ${percent(login.loginShareOfBound)}`, '≥ 90 %']);
  if (login.argon2BoundImageAllocator !== undefined && login.loginShareOfImageAllocatorBound !== undefined) {
    rows.push(['logins/s vs Argon2 bound under the image allocator settings', `${fmt(login.login.successPerSecond, 1)} / ${fmt(login.argon2BoundImageAllocator.verifiesPerSecond, 1)} = ${percent(login.loginShareOfImageAllocatorBound)}`, '']);
  }
  rows.push(['token p99 alone → during logins', `${fmt(login.tokenAlone.p99Ms, 2)} → ${fmt(login.tokenWithLogins.p99Ms, 2)} ms`, '< 25 ms during logins']);
}
const peakRss = Math.max(...[cc?.lanyard.load, rt?.lanyard.load, login?.login].map((f) => f?.serverPeakRssMiB ?? Number.NaN).filter(Number.isFinite));
if (Number.isFinite(peakRss)) rows.push(['Lanyard production bundle, peak RSS under load (VmHWM)', `${fmt(peakRss, 0)} MiB`, '≤ 150 MiB']);
const operator = read<{ tenants: number; convergeSeconds: number; lost: number }>('operator-converge');
if (operator !== undefined) {
  rows.push([`operator: ${operator.tenants} IdentityTenants to Ready`, `${fmt(operator.convergeSeconds, 1)} s${operator.lost > 0 ? ` (${operator.lost} never Ready)` : ''}`, '≤ 50 s for 500']);
}
if (scale !== undefined) {
  rows.push(['scale-out: two API processes / one (client_credentials req/s)', `${fmt(scale.two.requestsPerSecond, 0)} / ${fmt(scale.one.requestsPerSecond, 0)} = ${times(scale.ratioTwoToOne)}`, '≥ 1.7×']);
}
printTable(`Summary (${mode}): ratios against the budget (docs/reference/performance-budget.md)`, ['figure', 'measured', 'target'], rows);
console.log(`\nmachine load at the end: ${machineLoad()} — figures vary ±2× with noise on this machine; ratios from one run hold better.`);
