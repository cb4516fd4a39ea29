// Fault suite (a benchmark-style script, not a test): a bounded load against the production bundles
// while one dependency at a time is stopped, killed or cut off; prints one table of what clients
// saw and what was lost. Run: npm run faults   (docs/reliability.md shows a run)
// Knobs (env): FAULT_SECONDS (outage length for Redis/PostgreSQL, default 8), FAULT_SMTP_SECONDS
// (default 60), FAULT_CONCURRENCY (client_credentials loops, default 16), FAULT_ONLY (comma-separated
// parts of fault names to run, e.g. FAULT_ONLY=smtp).
import { loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { FaultStack } from './support/fault-stack.js';
import { startFaultLoad, type Outcome, type RunningLoad } from './support/fault-load.js';
import { adminToken, basicAuth, ensureBenchTenant, WEB_CLIENT } from './support/lanyard.js';
import { pinSelf } from './support/processes.js';
import { refreshMinter } from './support/refresh-minter.js';
import { fmt, printTable, writeResults } from './support/report.js';
import { benchSecrets, settings } from './support/settings.js';

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const FAULT_SECONDS = int('FAULT_SECONDS', 8);
const SMTP_SECONDS = int('FAULT_SMTP_SECONDS', 60);
const CONCURRENCY = int('FAULT_CONCURRENCY', 16);
const ONLY = (process.env.FAULT_ONLY ?? '').split(',').map((part) => part.trim().toLowerCase()).filter((part) => part !== '');
const BASELINE_MS = 5_000;
const AFTER_MS = 10_000;

interface Fault {
  readonly name: string;
  readonly inject: () => Promise<void>;
  readonly outageMs: number;
  readonly heal: () => Promise<void>;
  /** Resolves when what the fault broke works again (measured from the end of `heal`). */
  readonly recovered: () => Promise<void>;
}

interface PhaseFigures {
  readonly name: string;
  readonly requests: number;
  readonly ok: number;
  readonly refused4xx: number;
  readonly unavailable503: number;
  readonly other5xx: number;
  /** Connections refused: nothing listened (the API restarting). */
  readonly refused: number;
  /** Requests cut off or timed out with no answer: what graceful handling must keep at 0. */
  readonly cut: number;
  readonly p99DuringMs: number;
  readonly p99AfterMs: number;
  readonly recoverySeconds: number;
  /** Why requests went unanswered, by error code. */
  readonly unanswered: Record<string, number>;
  /** Answers by request kind and status (0: unanswered), and the slowest answer of each kind, for reading a row. */
  readonly byKind: Record<string, { statuses: Record<string, number>; maxMs: number }>;
  /** Messages the SMTP server accepted twice (same Message-ID) during this phase. */
  readonly emailDuplicates: number;
}

const p99 = (values: number[]) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))]!;
};

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`not recovered within ${timeoutMs / 1000} s`);
}

function phaseFigures(name: string, outcomes: readonly Outcome[], from: number, healedAt: number, to: number, recoverySeconds: number, emailDuplicates: number): PhaseFigures {
  const window = outcomes.filter((o) => o.at >= from && o.at < to);
  const tokenLatencies = (a: number, b: number) => window.filter((o) => o.kind === 'client_credentials' && o.at >= a && o.at < b && o.status === 200).map((o) => o.latencyMs);
  return {
    name,
    requests: window.length,
    ok: window.filter((o) => o.status >= 200 && o.status < 300).length,
    refused4xx: window.filter((o) => o.status >= 400 && o.status < 500).length,
    unavailable503: window.filter((o) => o.status === 503).length,
    other5xx: window.filter((o) => o.status >= 500 && o.status !== 503).length,
    refused: window.filter((o) => o.status === 0 && o.error === 'ECONNREFUSED').length,
    cut: window.filter((o) => o.status === 0 && o.error !== 'ECONNREFUSED').length,
    p99DuringMs: p99(tokenLatencies(from, healedAt)),
    p99AfterMs: p99(tokenLatencies(healedAt, to)),
    recoverySeconds,
    unanswered: window.filter((o) => o.status === 0).reduce<Record<string, number>>((counts, o) => ({ ...counts, [o.error ?? '?']: (counts[o.error ?? '?'] ?? 0) + 1 }), {}),
    byKind: window.reduce<PhaseFigures['byKind']>((kinds, o) => {
      const kind = (kinds[o.kind] ??= { statuses: {}, maxMs: 0 });
      kind.statuses[String(o.status)] = (kind.statuses[String(o.status)] ?? 0) + 1;
      kind.maxMs = Math.max(kind.maxMs, o.latencyMs);
      return kinds;
    }, {}),
    emailDuplicates,
  };
}

async function main(): Promise<void> {
  pinSelf(settings.clientCpus);
  console.log(`fault suite: production bundles, load ${CONCURRENCY} client_credentials loops + 8 refresh chains + 4 e-mails/s; load average ${loadavg().map((l) => fmt(l, 2)).join(' ')}`);
  const stack = await FaultStack.start();
  let load: RunningLoad | undefined;
  try {
    const { emails } = await ensureBenchTenant(stack.api, 8);
    let token = await adminToken(stack.api.baseUrl);
    const admin = (method: string, path: string, body?: unknown) =>
      fetch(`${stack.api.baseUrl}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) });
    const unverified: string[] = [];
    for (let i = 0; i < 40; i += 1) unverified.push(((await (await admin('POST', '/tenants/bench/users', { email: `mail${i}@bench.example` })).json()) as { id: string }).id);
    // Probes in a tenant of their own, so their audit events never mix with the load's.
    await admin('PUT', '/tenants/probe', { displayName: 'Probe' });
    const probeSecret = ((await (await admin('PUT', '/tenants/probe/clients/probe', { type: 'confidential', grantTypes: ['client_credentials'], tokenEndpointAuthMethod: 'client_secret_basic' })).json()) as { clientSecret: string }).clientSecret;
    const probeToken = async () => {
      const response = await fetch(`${stack.api.baseUrl}/tenants/probe/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('probe', probeSecret) }, body: 'grant_type=client_credentials' });
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const probeAccess = await probeToken();
    const introspects = async () =>
      (await fetch(`${stack.api.baseUrl}/tenants/probe/oauth2/introspect`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth('probe', probeSecret) }, body: new URLSearchParams({ token: probeAccess }) })).status === 200;
    const readsDatabase = async () => (await admin('GET', '/tenants/bench/users?limit=1')).status === 200;
    const minter = await refreshMinter(stack.databaseUrl, emails);
    const refreshTokens = await minter.mint(8);
    await minter.close();

    load = startFaultLoad({ baseUrl: () => stack.api.baseUrl, adminToken: () => token, refreshTokens, unverifiedUserIds: unverified }, CONCURRENCY);
    const running = load;
    const delivered = () => new Set(stack.smtp.messages.map((m) => m.headers['message-id'])).size;
    const mailDrained = async () => delivered() >= running.emailsAccepted;
    const faults: Fault[] = [
      { name: `Redis stopped ${FAULT_SECONDS} s`, inject: () => stack.redis.stop(), outageMs: FAULT_SECONDS * 1000, heal: () => stack.redis.start(), recovered: () => until(introspects, 60_000) },
      { name: `PostgreSQL stopped ${FAULT_SECONDS} s`, inject: () => stack.postgres.stop(), outageMs: FAULT_SECONDS * 1000, heal: () => stack.postgres.start(), recovered: () => until(readsDatabase, 60_000) },
      {
        // A host that drops packets: connections hang instead of being refused, the case the pool's circuit is for.
        name: `PostgreSQL host silent ${FAULT_SECONDS} s`,
        inject: async () => stack.postgresPath.blackhole(true),
        outageMs: FAULT_SECONDS * 1000,
        heal: async () => stack.postgresPath.blackhole(false),
        recovered: () => until(readsDatabase, 60_000),
      },
      {
        name: 'worker SIGKILLed mid-job',
        inject: async () => {
          // Deliveries held before their 250 are in flight when the kill lands; the server takes
          // responsibility for a message only by replying (RFC 5321 §4.1.1.4), so the held ones
          // whose worker is gone were never accepted, and must be sent again by the next worker.
          stack.smtp.holdReplies(true);
          await stack.smtp.waitForHeld(2, 30_000);
          stack.worker.child.kill('SIGKILL');
          await new Promise((resolve) => stack.worker.child.once('exit', resolve));
          // Release only once the server has seen those connections close: a 250 written to a
          // socket whose close it has not read yet would count as accepted (RFC 1047's window,
          // staged here on the wrong side) though no worker could read it.
          await stack.smtp.waitForAbandoned(stack.smtp.abandoned.length + stack.smtp.held.length, 10_000);
          stack.smtp.releaseHeld();
          stack.smtp.holdReplies(false);
        },
        outageMs: 3_000,
        heal: () => stack.startWorker(),
        recovered: () => until(mailDrained, 180_000),
      },
      { name: `SMTP unreachable ${SMTP_SECONDS} s`, inject: () => stack.smtp.down(), outageMs: SMTP_SECONDS * 1000, heal: () => stack.smtp.up(), recovered: () => until(mailDrained, 300_000) },
      {
        // The load stands in for a Service: it stops sending once /readyz answers 503 (polled every
        // 100 ms, as a readiness probe would), and resumes once the new process is ready.
        name: 'API SIGTERMed under load',
        inject: async () => {
          const stopped = stack.api.stop();
          await until(async () => (await fetch(`${stack.api.baseUrl}/readyz`)).status === 503, 10_000);
          running.pause();
          await stopped;
        },
        outageMs: 0,
        heal: async () => {
          await stack.startApi();
          running.resume();
        },
        recovered: async () => {
          token = await adminToken(stack.api.baseUrl);
          await until(async () => running.outcomes.some((o) => o.kind === 'client_credentials' && o.status === 200 && o.at > running.now() - 200), 30_000);
        },
      },
    ];

    const phases: PhaseFigures[] = [];
    const duplicates = () => stack.smtp.messages.length - delivered();
    for (const fault of faults.filter((f) => ONLY.length === 0 || ONLY.some((part) => f.name.toLowerCase().includes(part)))) {
      const duplicatesBefore = duplicates();
      token = await adminToken(stack.api.baseUrl);
      await sleep(BASELINE_MS);
      const from = running.now();
      console.log(`[faults] ${fault.name}`);
      await fault.inject();
      await sleep(fault.outageMs);
      await fault.heal();
      const healedAt = running.now();
      await fault.recovered();
      const recoverySeconds = (running.now() - healedAt) / 1000;
      await sleep(AFTER_MS);
      phases.push(phaseFigures(fault.name, running.outcomes, from, healedAt, running.now(), recoverySeconds, duplicates() - duplicatesBefore));
    }
    await running.stop();
    load = undefined;

    // What was lost, over the whole run. The API flushes its audit buffer when it stops.
    const lastChains = [...running.chains];
    let chainsLost = running.lostChains;
    for (const chain of lastChains.filter((t) => t !== '')) {
      const response = await fetch(`${stack.api.baseUrl}/tenants/bench/oauth2/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(WEB_CLIENT, benchSecrets.webSecret) }, body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: chain }) });
      if (response.status !== 200) chainsLost += 1;
    }
    await until(mailDrained, 120_000).catch(() => undefined);
    await stack.api.stop();
    const database = new pg.Client({ connectionString: stack.databaseUrl });
    await database.connect();
    const audit = Object.fromEntries(
      (await database.query<{ event: string; n: string }>(`select event, count(*) as n from audit_events where tenant = 'bench' group by event`)).rows.map((r) => [r.event, Number(r.n)]),
    );
    const forked = Number(
      (
        await database.query<{ n: string }>(
          `select count(*) as n from (select f.id from refresh_token_families f join refresh_tokens t on t.family_id = f.id
            where f.revoked_at is null and t.used_at is null and t.expires_at > now() group by f.id having count(*) > 1) forks`,
        )
      ).rows[0]!.n,
    );
    const revoked = Number((await database.query<{ n: string }>(`select count(*) as n from refresh_token_families where revoked_at is not null`)).rows[0]!.n);
    await database.end();

    const answered = (kind: Outcome['kind']) => running.outcomes.filter((o) => o.kind === kind && o.status !== 0).length + (kind === 'refresh' ? lastChains.filter((t) => t !== '').length : 0);
    const losses = {
      auditTokenAnswered: answered('client_credentials'),
      auditTokenRows: audit.token ?? 0,
      auditRefreshAnswered: answered('refresh'),
      auditRefreshRows: audit.refresh ?? 0,
      emailsAccepted: running.emailsAccepted,
      emailsDelivered: delivered(),
      emailsDuplicated: stack.smtp.messages.length - delivered(),
      refreshChainsLost: chainsLost,
      refreshFamiliesForked: forked,
      refreshFamiliesRevoked: revoked,
    };

    printTable(
      `Faults under load (client_credentials ×${CONCURRENCY}, 8 refresh chains, 4 e-mails/s), production bundles`,
      ['fault', 'requests', '2xx', '4xx', '503', 'other 5xx', 'refused', 'cut off', 'p99 during', 'p99 after', 'recovery', 'mail twice'],
      phases.map((p) => [
        p.name,
        String(p.requests),
        String(p.ok),
        String(p.refused4xx),
        String(p.unavailable503),
        String(p.other5xx),
        String(p.refused),
        String(p.cut),
        `${fmt(p.p99DuringMs, 1)} ms`,
        `${fmt(p.p99AfterMs, 1)} ms`,
        `${fmt(p.recoverySeconds, 1)} s`,
        String(p.emailDuplicates),
      ]),
    );
    const lostAudit = Math.max(0, losses.auditTokenAnswered - losses.auditTokenRows) + Math.max(0, losses.auditRefreshAnswered - losses.auditRefreshRows);
    printTable('Lost over the whole run', ['what', 'expected', 'found', 'lost'], [
      ['audit events (token)', String(losses.auditTokenAnswered), String(losses.auditTokenRows), String(Math.max(0, losses.auditTokenAnswered - losses.auditTokenRows))],
      ['audit events (refresh)', String(losses.auditRefreshAnswered), String(losses.auditRefreshRows), String(Math.max(0, losses.auditRefreshAnswered - losses.auditRefreshRows))],
      ['e-mails (distinct Message-IDs)', String(losses.emailsAccepted), String(losses.emailsDelivered), String(Math.max(0, losses.emailsAccepted - losses.emailsDelivered))],
      ['e-mails delivered twice', '0', String(losses.emailsDuplicated), String(losses.emailsDuplicated)],
      ['refresh chains still rotating', String(lastChains.length), String(lastChains.length - chainsLost), String(chainsLost)],
      ['refresh families forked / revoked', '0', `${losses.refreshFamiliesForked} / ${losses.refreshFamiliesRevoked}`, String(losses.refreshFamiliesForked + losses.refreshFamiliesRevoked)],
    ]);
    for (const p of phases.filter((phase) => Object.keys(phase.unanswered).length > 0)) console.log(`${p.name}: unanswered by cause ${JSON.stringify(p.unanswered)}`);
    console.log('\nBy request kind (status: count; slowest answer):');
    for (const p of phases) {
      const kinds = Object.entries(p.byKind).map(([kind, k]) => `${kind} ${Object.entries(k.statuses).map(([status, n]) => `${status}:${n}`).join(' ')}; ${fmt(k.maxMs, 0)} ms`);
      console.log(`  ${p.name}: ${kinds.join(' | ')}`);
    }
    // What the worker logged about each message delivered twice, to tell where the second copy came from.
    const seen = new Set<string>();
    for (const id of stack.smtp.messages.map((m) => m.headers['message-id'] ?? '')) {
      if (!seen.delete(id)) {
        seen.add(id);
        continue;
      }
      const bare = id.replace(/[<>]/g, '');
      console.log(`delivered twice: ${id}\n${stack.workerLog().filter((line) => line.includes(bare)).join('\n')}`);
    }
    console.log(`\nlost audit events: ${lostAudit}; answered requests are compared with rows (a request cut off by the API's exit may have been written without an answer: rows ≥ answered).`);
    writeResults('faults', { phases, losses });
  } finally {
    await load?.stop();
    await stack.stop();
  }
}

await main();
