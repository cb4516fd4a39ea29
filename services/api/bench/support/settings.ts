import { fileURLToPath } from 'node:url';

/** The monorepo root: processes under test run from here, as `npm run up` would start them. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer (got "${raw}")`);
  return value;
};

/**
 * Bench knobs, from the environment so `run-all.sh` and a single script share them. Defaults fit the
 * 2-core machine in docs/benchmarks.md: the process under test on CPU 1, load generator (and this
 * driver) on CPU 0, one process under test at a time.
 */
export const settings = {
  /** Seconds of measured load per target. */
  durationSeconds: int('BENCH_DURATION', 10),
  /** Seconds of unmeasured load first (JIT, pools, caches). */
  warmupSeconds: int('BENCH_WARMUP', 3),
  /** autocannon connections for the token endpoints (pipelining is always 1). */
  connections: int('BENCH_CONNECTIONS', 50),
  /** autocannon connections for the hosted login. */
  loginConnections: int('BENCH_LOGIN_CONNECTIONS', 8),
  /** Rounds per target (order rotated each round); the median round is reported. run-all.sh uses 3. */
  rounds: int('BENCH_ROUNDS', 1),
  /** `taskset -c` list for the process under test (and the Argon2 / limiter probes). */
  serverCpus: process.env.BENCH_SERVER_CPUS ?? '1',
  /** `taskset -c` list for this driver, which runs autocannon in-process. */
  clientCpus: process.env.BENCH_CLIENT_CPUS ?? '0',
  /** Fixed-rate client_credentials probe (req/s) used to read token latency while logins run. */
  tokenProbeRate: int('BENCH_TOKEN_PROBE_RATE', 200),
  redisUrl: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  /** An existing, migrated database to use; otherwise a fresh one is created and dropped. */
  databaseUrl: process.env.BENCH_DATABASE_URL,
  /** A role that may CREATE DATABASE, for the fresh bench database. */
  databaseAdminUrl: process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://lanyard:lanyard@127.0.0.1:5432/postgres',
  /** Where each script writes its figures as JSON (run-all.sh reads them for the summary). */
  resultsDir: process.env.BENCH_RESULTS_DIR,
  /** libuv pool and hash cap of the process under test: the shipped defaults (.env.example). */
  uvThreadpoolSize: int('BENCH_UV_THREADPOOL_SIZE', 8),
  passwordHashConcurrency: int('BENCH_PASSWORD_HASH_CONCURRENCY', 2),
  argon2: { memoryCost: 19_456, timeCost: 2, parallelism: 1 },
  /** BENCH_BUSY=1 (run-all's busy mode): a CPU hog spins on the driver's core for the whole script. */
  busy: process.env.BENCH_BUSY === '1',
  /** BENCH_API_ENV='{"NAME":"value"}': extra environment for every Lanyard process under test (to try other settings). */
  apiEnv: JSON.parse(process.env.BENCH_API_ENV || '{}') as Record<string, string>,
  /** BENCH_KEYCLOAK=0 leaves Keycloak out (it downloads ~170 MB once and takes most of a minute to start). */
  keycloak: process.env.BENCH_KEYCLOAK !== '0',
} as const;

/** Fixed bench-only secrets: every restart against the same bench database must decrypt its keys. */
export const benchSecrets = {
  keyEncryptionKey: Buffer.alloc(32, 0x42).toString('base64'),
  bootstrapClientId: 'lanyard-admin',
  bootstrapClientSecret: 'bench-bootstrap-secret-0123456789abcdef',
  serviceSecret: 'bench-service-secret-0123456789abcdef0123',
  webSecret: 'bench-web-secret-0123456789abcdef0123456789',
  userPassword: 'correct horse battery staple',
} as const;
