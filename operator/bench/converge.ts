// Benchmark (not a test): how fast the operator brings a fleet of IdentityTenants to Ready. The
// production bundles of the API and the operator (the chart's defaults) against a real
// kube-apiserver + etcd; CONVERGE_TENANTS tenants (default 500), each with one confidential client
// and its own namespace, applied at once, timed from the first apply until every one is Ready.
// Run: npx tsx operator/bench/converge.ts   Knobs (env): CONVERGE_TENANTS, CONVERGE_APPLY_CONCURRENCY.
import { cpuSeconds, rssMiB } from '../../services/api/bench/support/processes.js'; // eslint-disable-line no-restricted-imports -- bench tooling, as in apiserver-restart.ts
import { mapInParallel } from '../../services/api/bench/support/in-parallel.js'; // eslint-disable-line no-restricted-imports -- bench tooling
import { fmt, machineLoad, printTable, writeResults } from '../../services/api/bench/support/report.js'; // eslint-disable-line no-restricted-imports -- bench tooling
import { startOperatorStack } from './support/operator-stack.js';

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TENANTS = int('CONVERGE_TENANTS', 500);
/** kubectl apply -f of a directory sends one at a time; a GitOps controller a few in parallel. */
const APPLY_CONCURRENCY = int('CONVERGE_APPLY_CONCURRENCY', 8);
const TIMEOUT_MS = 600_000;

const tenantName = (i: number) => `c${String(i).padStart(4, '0')}`;

async function main(): Promise<void> {
  console.log(`# operator convergence: ${TENANTS} IdentityTenants (one confidential client each), applied ${APPLY_CONCURRENCY} at a time`);
  console.log(`machine load: ${machineLoad()} (2 cores; other work on the machine skews every figure)`);
  const stack = await startOperatorStack();
  try {
    const { kube, operator, api } = stack;
    await mapInParallel(TENANTS, APPLY_CONCURRENCY, (i) => kube.createNamespace(tenantName(i)));
    const cpuBefore = { operator: cpuSeconds(operator.pid), api: cpuSeconds(api.process.pid) };
    const started = performance.now();
    const converged = stack.converge(Array.from({ length: TENANTS }, (_, i) => [tenantName(i), 1] as const), started, TIMEOUT_MS);
    await mapInParallel(TENANTS, APPLY_CONCURRENCY, (i) => stack.apply(tenantName(i)));
    const appliedAt = performance.now();
    const result = await converged;
    const cpu = { operator: cpuSeconds(operator.pid) - cpuBefore.operator, api: cpuSeconds(api.process.pid) - cpuBefore.api };
    const figures = {
      tenants: TENANTS,
      applySeconds: (appliedAt - started) / 1000,
      convergeSeconds: result.seconds,
      tenantsPerSecond: TENANTS / result.seconds,
      lost: result.lost.length,
      operatorCpuSeconds: cpu.operator,
      apiCpuSeconds: cpu.api,
      operatorRssMiB: rssMiB(operator.pid),
    };
    printTable(
      'Operator convergence (production bundles, real kube-apiserver + etcd)',
      ['tenants', 'all applied after', 'all Ready after', 'tenants/s', 'never Ready', 'operator CPU', 'API CPU', 'operator RSS', 'target'],
      [[String(TENANTS), `${fmt(figures.applySeconds, 1)} s`, `${fmt(figures.convergeSeconds, 1)} s`, fmt(figures.tenantsPerSecond, 1), String(figures.lost), `${fmt(cpu.operator, 1)} s`, `${fmt(cpu.api, 1)} s`, `${fmt(figures.operatorRssMiB, 0)} MiB`, '≤ 50 s for 500']],
    );
    if (result.lost.length > 0) console.log(`never Ready: ${result.lost.slice(0, 20).join(', ')}${result.lost.length > 20 ? ', …' : ''}`);
    writeResults('operator-converge', figures);
  } finally {
    await stack.close();
  }
}

await main();
