// Benchmark (not a test): how long sign-up, forgot password and resend verification take for a
// registered address and for an unknown one, in the same run, against the production server. The
// pages must not reveal which addresses have accounts, by their answer or by their timing
// (docs/reference/accounts.md "No enumeration"); this prints both distributions and their ratio.
// Run: npx tsx services/api/bench/account-timing.ts   (BENCH_ACCOUNT_SAMPLES, default 40 per case)
import { benchDatabase } from './support/bench-database.js';
import { BENCH_TENANT, ensureBenchTenant, startLanyard, type LanyardServer } from './support/lanyard.js';
import { fmt, printConditions, printTable, ratio, times, writeResults } from './support/report.js';
import { benchSecrets } from './support/settings.js';

const SAMPLES = Number(process.env.BENCH_ACCOUNT_SAMPLES ?? 40);

interface Form {
  readonly path: string;
  readonly fields: (email: string, i: number) => Record<string, string>;
}

const FORMS: Record<string, Form> = {
  signup: { path: '/signup', fields: (email, i) => ({ email, password: `${benchSecrets.userPassword} signup ${i}` }) },
  'forgot password': { path: '/password/forgot', fields: (email) => ({ email }) },
  'resend verification': { path: '/email/verify/resend', fields: (email) => ({ email }) },
};

/** One browser's visit: GET the form (binding cookie, CSRF token), then time the POST alone. */
async function timedPost(server: LanyardServer, form: Form, email: string, i: number): Promise<{ ms: number; status: number; location: string | null }> {
  const url = `${server.issuer}${form.path}`;
  const page = await fetch(url);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="csrf_token" value="([^"]+)"/.exec(await page.text())?.[1];
  if (csrf === undefined) throw new Error(`${form.path}: no form (status ${page.status})`);
  const body = new URLSearchParams({ csrf_token: csrf, ...form.fields(email, i) });
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': `10.${i % 250}.${Math.floor(i / 250)}.1` }, body });
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status, location: response.headers.get('location') };
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

async function main(): Promise<void> {
  const database = await benchDatabase();
  // Sign-up open; per-network request limit out of the way (each sample comes from its own network).
  const server = await startLanyard(database.url, { TRUST_PROXY_HOPS: '1', RATE_LIMIT_ACCOUNT_REQUESTS_PER_MINUTE: '100000', RATE_LIMIT_EMAILS_PER_ADDRESS_PER_HOUR: '1000' });
  try {
    const { emails } = await ensureBenchTenant(server, 1);
    await fetchAdmin(server, 'PUT', `/tenants/${BENCH_TENANT}`, { displayName: 'Bench', accounts: { signup: 'open' } });
    printConditions({ samples: SAMPLES });
    const rows: string[][] = [];
    const results: Record<string, unknown> = {};
    for (const [name, form] of Object.entries(FORMS)) {
      const registered: number[] = [];
      const unknown: number[] = [];
      const answers = new Set<string>();
      // Interleaved, so drift in the machine's load hits both sides alike.
      for (let i = 0; i < SAMPLES; i += 1) {
        const known = await timedPost(server, form, emails[0]!, i);
        const stranger = await timedPost(server, form, `nobody-${i}-${Date.now()}@bench.example`, i);
        registered.push(known.ms);
        unknown.push(stranger.ms);
        answers.add(`${known.status} ${known.location}`).add(`${stranger.status} ${stranger.location}`);
      }
      const a = [...registered].sort((x, y) => x - y);
      const b = [...unknown].sort((x, y) => x - y);
      rows.push([name, fmt(quantile(a, 0.5), 1), fmt(quantile(b, 0.5), 1), fmt(quantile(a, 0.9), 1), fmt(quantile(b, 0.9), 1), times(ratio(quantile(a, 0.5), quantile(b, 0.5))), String(answers.size)]);
      results[name] = { registeredMs: registered, unknownMs: unknown, distinctAnswers: [...answers] };
    }
    printTable('POST latency, registered vs unknown address (ms)', ['form', 'registered p50', 'unknown p50', 'registered p90', 'unknown p90', 'p50 ratio', 'distinct answers'], rows);
    writeResults('account-timing', results);
  } finally {
    await server.stop();
    await database.release();
  }
}

async function fetchAdmin(server: LanyardServer, method: string, path: string, body: unknown): Promise<void> {
  const tokenResponse = await fetch(`${server.baseUrl}/tenants/system/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${benchSecrets.bootstrapClientId}:${benchSecrets.bootstrapClientSecret}`).toString('base64')}` },
    body: 'grant_type=client_credentials',
  });
  const { access_token: token } = (await tokenResponse.json()) as { access_token: string };
  const response = await fetch(`${server.baseUrl}/admin/v1${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

await main();
