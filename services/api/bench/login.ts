// Benchmark (not a test): hosted-login throughput (POST /tenants/:t/login, each through a fresh
// interaction) against the raw Argon2 bound measured in the same run, and token-endpoint latency
// while logins run (argon2 and crypto share libuv's pool: docs/reference/performance-budget.md).
// Run: npx tsx services/api/bench/login.ts   (or services/api/bench/run-all.sh)
import { createHash, randomBytes } from 'node:crypto';
import { benchDatabase } from './support/bench-database.js';
import { fixedRateLatency, type LatencyFigures, type ProbeRequest } from './support/http-probe.js';
import { basicAuth, CLIENT_CREDENTIALS_BODY, ensureBenchTenant, SERVICE_CLIENT, startLanyard, WEB_CLIENT, WEB_REDIRECT, type LanyardServer } from './support/lanyard.js';
import { runLoad, type LoadFigures } from './support/load.js';
import { underMachineMode } from './support/busy-hog.js';
import { mapInParallel } from './support/in-parallel.js';
import { imageEnvironment, productionBundle } from './support/production-bundle.js';
import { pinSelf, runProbe } from './support/processes.js';
import { fmt, percent, printConditions, printLoadTable, printRatios, printTable, ratio, writeResults } from './support/report.js';
import { benchSecrets, settings } from './support/settings.js';

const BINDING_COOKIE = '__Secure-lanyard_binding';
const DEVICE_COOKIE = '__Secure-lanyard_device';

interface PreparedLogin {
  readonly body: string;
}

interface Argon2Bound {
  readonly verifiesPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly concurrency: number;
}

/**
 * Fresh interactions the way a browser gets them: GET /authorize (303 to the login page, binding
 * cookie set), GET the login page for its CSRF token. One browser (binding cookie) for all of them,
 * users taken round-robin so the per-account limiter never binds.
 */
async function prepareLogins(server: LanyardServer, emails: readonly string[], count: number, cookie: string): Promise<PreparedLogin[]> {
  return mapInParallel(count, 8, async (i) => {
    const verifier = randomBytes(32).toString('base64url');
    const authorize = new URL(`${server.issuer}/oauth2/authorize`);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: WEB_CLIENT,
      redirect_uri: WEB_REDIRECT,
      scope: 'openid email',
      state: `s${i}`,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    })) {
      authorize.searchParams.set(k, v);
    }
    const redirect = await fetch(authorize, { redirect: 'manual', headers: { cookie } });
    const location = redirect.headers.get('location');
    if (redirect.status !== 303 || location === null || !location.includes('/login?interaction=')) throw new Error(`authorize: ${redirect.status} ${location}`);
    const page = await (await fetch(new URL(location, server.baseUrl), { headers: { cookie } })).text();
    const interaction = /name="interaction" value="([^"]+)"/.exec(page)?.[1];
    const csrf = /name="csrf_token" value="([^"]+)"/.exec(page)?.[1];
    if (interaction === undefined || csrf === undefined) throw new Error(`login page without form fields:\n${page.slice(0, 500)}`);
    const form = new URLSearchParams({ interaction, csrf_token: csrf, email: emails[i % emails.length]!, password: benchSecrets.userPassword });
    return { body: form.toString() };
  });
}

/** Login load over a prepared pool; only a 303 to the client's redirect URI counts as a success. */
async function loginLoad(label: string, server: LanyardServer, pool: PreparedLogin[], cookie: string, duration: { duration: number } | { amount: number }, withCpu: boolean): Promise<LoadFigures & { readonly successPerSecond: number; readonly poolExhausted: boolean }> {
  let next = 0;
  let succeeded = 0;
  const started = Date.now();
  const figures = await runLoad(
    label,
    {
      url: `${server.issuer}/login`,
      connections: settings.loginConnections,
      ...duration,
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          setupRequest: (request) => {
            request.body = pool[Math.min(next, pool.length - 1)]!.body;
            next += 1;
            return request;
          },
          onResponse: (status, _body, _context, headers) => {
            if (status === 303 && String(headers.location ?? headers.Location ?? '').startsWith(WEB_REDIRECT)) succeeded += 1;
          },
        },
      ],
    },
    withCpu ? server.process.pid : undefined,
  );
  const seconds = 'duration' in duration ? duration.duration : (Date.now() - started) / 1000;
  return { ...figures, errors: figures.total - succeeded, successPerSecond: succeeded / seconds, poolExhausted: next > pool.length };
}

/** `argon2.verify` alone in a process pinned like the API, with the API's pool and concurrency, plus `env`. */
function argon2Bound(env: Record<string, string>): Promise<Argon2Bound> {
  return runProbe<Argon2Bound>(settings.serverCpus, 'services/api/bench/support/argon2-bound.ts', {
    UV_THREADPOOL_SIZE: String(settings.uvThreadpoolSize),
    CONCURRENCY: String(Math.min(settings.passwordHashConcurrency, settings.loginConnections)),
    DURATION_SECONDS: String(settings.durationSeconds),
    ARGON2_MEMORY_KIB: String(settings.argon2.memoryCost),
    ARGON2_TIME_COST: String(settings.argon2.timeCost),
    ARGON2_PARALLELISM: String(settings.argon2.parallelism),
    ...env,
  });
}

/** The mean of a bound measured before and after the logins, keeping both runs. */
function meanBound(before: Argon2Bound, after: Argon2Bound): Argon2Bound & { readonly runs: readonly [Argon2Bound, Argon2Bound] } {
  const mean = (pick: (bound: Argon2Bound) => number) => (pick(before) + pick(after)) / 2;
  return { verifiesPerSecond: mean((b) => b.verifiesPerSecond), p50Ms: mean((b) => b.p50Ms), p99Ms: mean((b) => b.p99Ms), concurrency: before.concurrency, runs: [before, after] };
}

const boundFigures = (bound: ReturnType<typeof meanBound>) => `${fmt(bound.verifiesPerSecond, 1)} (${fmt(bound.runs[0].verifiesPerSecond, 1)}, ${fmt(bound.runs[1].verifiesPerSecond, 1)})`;

/** The image's glibc allocator variables (MALLOC_*, GLIBC_TUNABLES), and nothing else of its environment. */
function allocatorEnvironment(): Record<string, string> {
  return Object.fromEntries(Object.entries(imageEnvironment()).filter(([name]) => name.startsWith('MALLOC_') || name.startsWith('GLIBC_')));
}

/** `6.2 of 43.1 ms`: the event loop's CPU per login against the whole process's (Argon2 runs on libuv's pool). */
function mainThreadShare(figures: LoadFigures): string {
  const cpu = figures.cpuMicrosPerRequest;
  return cpu === undefined ? '-' : `${fmt(cpu.serverMainThread / 1000, 1)} of ${fmt(cpu.server / 1000, 1)} ms`;
}

async function main(): Promise<void> {
  pinSelf(settings.clientCpus);
  console.log('# hosted login vs the raw Argon2 bound; token latency while logins run');
  printConditions({
    rounds: 1,
    'login connections': settings.loginConnections,
    UV_THREADPOOL_SIZE: settings.uvThreadpoolSize,
    PASSWORD_HASH_CONCURRENCY: settings.passwordHashConcurrency,
    argon2: `m=${settings.argon2.memoryCost}KiB,t=${settings.argon2.timeCost},p=${settings.argon2.parallelism}`,
  });
  const database = await benchDatabase();
  // The production bundle, as users run it (`node dist/api.js`, the image's environment).
  const server = await startLanyard(database.url, {}, productionBundle('api'));
  try {
    const { emails } = await ensureBenchTenant(server);
    // One browser that keeps its cookies, as a real one does: the binding cookie, and the device
    // cookie every sign-in renews (a random id; the API takes any well-formed one). Without it every
    // login would come from a browser never seen before and queue a new-device notice.
    const cookie = `${BINDING_COOKIE}=${randomBytes(32).toString('base64url')}; ${DEVICE_COOKIE}=${randomBytes(32).toString('base64url')}`;

    // Warm-up over a small pool; its rate sizes the measured pools (twice what it would consume).
    const warmPool = await prepareLogins(server, emails, 60, cookie);
    const warm = await loginLoad('login (warm-up)', server, warmPool, cookie, { amount: warmPool.length - settings.loginConnections }, false);
    const poolSize = Math.ceil(Math.max(warm.successPerSecond, 20) * settings.durationSeconds * 2) + 100;

    const measuredPool = await prepareLogins(server, emails, poolSize, cookie);
    // Both bounds right before and right after the logins, in mirrored order (A B, logins, B A), and
    // their means: the machine's speed drifts over a run, and this cancels a steady drift.
    const defaultsBefore = await argon2Bound({});
    const imageBefore = await argon2Bound(allocatorEnvironment());
    const login = await loginLoad('hosted login', server, measuredPool, cookie, { duration: settings.durationSeconds }, true);
    const imageAfter = await argon2Bound(allocatorEnvironment());
    const defaultsAfter = await argon2Bound({});
    // The target's bound: argon2.verify with glibc's defaults, which keep each freed 19 MiB buffer
    // for the next hash.
    const bound = meanBound(defaultsBefore, defaultsAfter);
    // The same under the image's allocator settings, which the API runs with: they hand every buffer
    // back to the kernel to keep RSS in its budget, and the next hash pays for fresh pages. Logins
    // against this bound are what the API itself adds to a hash.
    const imageBound = meanBound(imageBefore, imageAfter);

    // Token latency at a fixed, modest rate: alone, then while the login load saturates the hashers.
    const probe: ProbeRequest = {
      url: `${server.issuer}/oauth2/token`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: basicAuth(SERVICE_CLIENT, benchSecrets.serviceSecret) },
      body: CLIENT_CREDENTIALS_BODY,
    };
    await fixedRateLatency(probe, settings.tokenProbeRate, 2); // warm the token path
    const tokenAlone: LatencyFigures = await fixedRateLatency(probe, settings.tokenProbeRate, settings.durationSeconds);
    const mixedPool = await prepareLogins(server, emails, poolSize, cookie);
    const [mixedLogin, tokenWithLogins] = await Promise.all([
      loginLoad('hosted login + token probe', server, mixedPool, cookie, { duration: settings.durationSeconds }, false),
      fixedRateLatency(probe, settings.tokenProbeRate, settings.durationSeconds),
    ]);

    printLoadTable(`hosted login at ${settings.loginConnections} connections (errors = answers other than a 303 to the client)`, [login, mixedLogin]);
    printTable(
      `Raw Argon2 bound (argon2.verify, ${bound.concurrency} concurrent, pinned to CPU ${settings.serverCpus})`,
      ['allocator', 'verifies/s: mean (before, after the logins)', 'verify p50 / p99 ms (mean)'],
      [
        ['glibc defaults (the target\'s bound)', boundFigures(bound), `${fmt(bound.p50Ms, 1)} / ${fmt(bound.p99Ms, 1)}`],
        ['the image\'s settings (as the API runs)', boundFigures(imageBound), `${fmt(imageBound.p50Ms, 1)} / ${fmt(imageBound.p99Ms, 1)}`],
      ],
    );
    printTable(
      `client_credentials latency at a fixed ${settings.tokenProbeRate} req/s (open loop, µs resolution)`,
      ['condition', 'p50 ms', 'p99 ms', 'max ms', 'errors'],
      [
        ['token endpoint alone', fmt(tokenAlone.p50Ms, 2), fmt(tokenAlone.p99Ms, 2), fmt(tokenAlone.maxMs, 1), String(tokenAlone.errors)],
        ['while logins saturate Argon2', fmt(tokenWithLogins.p50Ms, 2), fmt(tokenWithLogins.p99Ms, 2), fmt(tokenWithLogins.maxMs, 1), String(tokenWithLogins.errors)],
      ],
    );
    const ofBound = ratio(login.successPerSecond, bound.verifiesPerSecond);
    const ofImageBound = ratio(login.successPerSecond, imageBound.verifiesPerSecond);
    const summary = {
      login,
      loginWithTokenProbe: mixedLogin,
      argon2Bound: bound,
      loginShareOfBound: ofBound,
      argon2BoundImageAllocator: imageBound,
      loginShareOfImageAllocatorBound: ofImageBound,
      tokenAlone,
      tokenWithLogins,
      uvThreadpoolSize: settings.uvThreadpoolSize,
      passwordHashConcurrency: settings.passwordHashConcurrency,
    };
    printRatios([
      ['successful logins/s', fmt(login.successPerSecond, 1)],
      ['logins / Argon2 bound', `${percent(ofBound)} of bound (target ≥ 90 %)`],
      ['logins / Argon2 bound under the image\'s allocator settings', percent(ofImageBound)],
      ['token p99 alone → with logins', `${fmt(tokenAlone.p99Ms, 2)} → ${fmt(tokenWithLogins.p99Ms, 2)} ms`],
      // What a login costs the core besides its hash: the gap between the bound and the logins.
      ['API CPU per login: main thread of all', mainThreadShare(login)],
    ]);
    if (login.poolExhausted || mixedLogin.poolExhausted) console.log('WARNING: an interaction pool ran dry; errors include reused interactions');
    writeResults('login', summary);
  } finally {
    await server.stop();
    await database.release();
  }
}

await underMachineMode(main);
