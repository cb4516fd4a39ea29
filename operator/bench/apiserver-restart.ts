// The operator's row of the fault suite (a benchmark-style script, not a test; `npm run faults` runs
// it after the API's faults): the production bundles of the API and the operator against a real
// kube-apiserver + etcd (the envtest binaries), TENANTS IdentityTenants reconciled, then the
// apiserver stopped (SIGTERM, as a control-plane upgrade does) for FAULT_APISERVER_SECONDS while a
// change is in flight, and changes made right after it is back. Prints what was lost or duplicated
// and how long the operator took to converge. Knobs (env): FAULT_TENANTS (default 40),
// FAULT_APISERVER_SECONDS (default 5).
import { setTimeout as sleep } from 'node:timers/promises';
import { secretData } from '../test/support/identity-service.js';
import type { OperatorTestEnv } from '../test/support/operator-test-env.js';
/* eslint-disable no-restricted-imports -- bench tooling: the API's bench helpers, as the operator's tests use the API's test server */
import { adminToken } from '../../services/api/bench/support/lanyard.js';
import { fmt, printTable, writeResults } from '../../services/api/bench/support/report.js';
import { settings } from '../../services/api/bench/support/settings.js';
/* eslint-enable no-restricted-imports */
import { startOperatorStack, type ConvergeTarget } from './support/operator-stack.js';

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TENANTS = int('FAULT_TENANTS', 40);
const DOWN_SECONDS = int('FAULT_APISERVER_SECONDS', 5);
/** Tenants changed right after the restart, and tenants created then (each in a new namespace). */
const CHANGED_AFTER = 10;
const CREATED_AFTER = 5;
/** How long the operator may stay quiet-but-wrong before a change counts as lost. */
const CONVERGE_TIMEOUT_MS = 120_000;
/** Seconds of watching an idle, converged operator for writes it should not make. */
const IDLE_SECONDS = 10;

const tenantName = (i: number) => `t${String(i).padStart(3, '0')}`;

async function main(): Promise<void> {
  const stack = await startOperatorStack();
  try {
    const { api, kube, operator: running, operatorUrl, apply } = stack;
    const converge = (targets: readonly ConvergeTarget[], started?: number) => stack.converge(targets, started, CONVERGE_TIMEOUT_MS);

    console.log(`[operator faults] ${TENANTS} tenants, apiserver down ${DOWN_SECONDS} s`);
    for (let i = 0; i < TENANTS + CREATED_AFTER; i += 1) await kube.createNamespace(tenantName(i));
    for (let i = 0; i < TENANTS; i += 1) await apply(tenantName(i));
    const initial = await converge(Array.from({ length: TENANTS }, (_, i) => [tenantName(i), 1] as const));
    const secretsBefore = await clientSecrets(kube, TENANTS);

    // A change in flight when the apiserver goes away: the operator may be reconciling it as its watch ends.
    await apply(tenantName(0), 'Changed as the apiserver stopped');
    const downAt = performance.now();
    await kube.cluster.restartApiServer(DOWN_SECONDS * 1000);
    const backAt = performance.now();
    const unavailableSeconds = (backAt - downAt) / 1000;
    const changed = Array.from({ length: CHANGED_AFTER }, (_, i) => tenantName(1 + i));
    for (const name of changed) await apply(name, `Changed after the restart`);
    const created = Array.from({ length: CREATED_AFTER }, (_, i) => tenantName(TENANTS + i));
    for (const name of created) await apply(name);
    const after = await converge([[tenantName(0), 2], ...changed.map((name) => [name, 2] as const), ...created.map((name) => [name, 1] as const)], backAt);

    // Nothing forked: unchanged tenants kept their client secrets, the API holds one client per
    // declared client, and the display names reached the identity service.
    const secretsAfter = await clientSecrets(kube, TENANTS);
    const secretsChanged = [...secretsBefore].filter(([name, secret]) => secretsAfter.get(name) !== secret).map(([name]) => name);
    const token = await adminToken(api.baseUrl);
    const adminGet = async (path: string) => (await fetch(`${api.baseUrl}/admin/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json() as Promise<Record<string, unknown>>;
    let extraClients = 0;
    let staleNames = 0;
    for (let i = 0; i < TENANTS + CREATED_AFTER; i += 1) {
      const name = tenantName(i);
      const clients = ((await adminGet(`/tenants/${name}/clients?limit=100`)).items as unknown[] | undefined) ?? [];
      extraClients += Math.max(0, clients.length - 1);
      const expected = i === 0 ? 'Changed as the apiserver stopped' : changed.includes(name) ? 'Changed after the restart' : `Tenant ${name}`;
      if ((await adminGet(`/tenants/${name}`)).displayName !== expected) staleNames += 1;
    }
    // Settled: a converged operator makes no writes (no hot loop left behind by the restart).
    const writesBefore = (await kube.operatorWrites()).length;
    await sleep(IDLE_SECONDS * 1000);
    const idleWrites = (await kube.operatorWrites()).length - writesBefore;
    const readyz = await fetch(`${operatorUrl}/readyz`).then((r) => r.status, () => 0);
    const exited = running.child.exitCode !== null || running.child.signalCode !== null;
    const logLines = running.output().split('\n');
    const fatalLines = logLines.filter((line) => line.includes('"level":"fatal"')).length;
    // Away longer than the renew deadline (10 s of the 15 s Lease), the leader steps down and campaigns again.
    const leaseLost = logLines.filter((line) => line.includes('lost the Lease')).length;
    const leaseRetaken = logLines.filter((line) => line.includes('"msg":"became leader"')).length - 1;

    const figures = {
      tenants: TENANTS,
      initialConvergeSeconds: initial.seconds,
      apiserverUnavailableSeconds: unavailableSeconds,
      changes: 1 + CHANGED_AFTER + CREATED_AFTER,
      convergeSeconds: after.seconds,
      lost: after.lost.length + initial.lost.length,
      secretsChanged: secretsChanged.length,
      extraClients,
      staleNames,
      idleWrites,
      leaseLost,
      leaseRetaken,
      operatorExited: exited,
      operatorReadyz: readyz,
      fatalLines,
    };
    printTable(
      `Operator: kube-apiserver restarted (production bundles; ${TENANTS} IdentityTenants reconciled first in ${fmt(initial.seconds, 1)} s)`,
      ['fault', 'apiserver away', 'changes', 'converged in', 'lost', 'secrets changed', 'extra clients', 'stale in API', `writes idle ${IDLE_SECONDS} s`, 'Lease lost / taken again', 'operator exited', '/readyz'],
      [
        [
          `kube-apiserver restarted (${DOWN_SECONDS} s down)`,
          `${fmt(unavailableSeconds, 1)} s`,
          String(figures.changes),
          `${fmt(after.seconds, 1)} s`,
          String(figures.lost),
          String(figures.secretsChanged),
          String(extraClients),
          String(staleNames),
          String(idleWrites),
          `${leaseLost} / ${leaseRetaken}`,
          exited ? 'yes' : 'no',
          String(readyz),
        ],
      ],
    );
    console.log(`\n"converged in": from the apiserver answering /readyz again to every change (1 in flight, ${CHANGED_AFTER} edits, ${CREATED_AFTER} new tenants) Ready at its generation.`);
    if (after.lost.length > 0) console.log(`never converged: ${after.lost.join(', ')}`);
    if (fatalLines > 0 || exited) console.log(`operator ${exited ? `exited (${running.child.exitCode ?? running.child.signalCode})` : 'logged fatal lines'}; its last lines:\n${running.output().split('\n').slice(-15).join('\n')}`);
    writeResults('operator-faults', figures);
    if (settings.resultsDir === undefined) console.log(`(set BENCH_RESULTS_DIR to keep these figures as JSON)`);
  } finally {
    await stack.close();
  }
}

/** CLIENT_SECRET of each tenant's `billing-oauth` Secret, by tenant. */
async function clientSecrets(env: OperatorTestEnv, count: number): Promise<Map<string, string>> {
  const secrets = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const name = tenantName(i);
    secrets.set(name, secretData(await env.core.readNamespacedSecret({ namespace: name, name: 'billing-oauth' })).CLIENT_SECRET ?? '');
  }
  return secrets;
}

await main();
