import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loadApiConfig, type ApiConfig } from '@lanyard/config';
import { createLogger } from '@lanyard/logger';
import { captureLogs, createTestDatabase, freePort, testClock, testEnvironment, testSecrets, uniqueRedisPrefix, type TestClock, type TestDatabase } from '@lanyard/testing';
import { buildApp } from '../../src/app.js';
import { buildMetricsApp } from '../../src/metrics-app.js';
import { createAppContext, type AppContext } from '../../src/context.js';
import { ensureSystemTenant } from '../../src/bootstrap/ensure-system-tenant.js';

export interface TestApi {
  readonly app: FastifyInstance;
  /** The METRICS_PORT listener's app (`/metrics` only), for `inject`. */
  readonly metricsApp: FastifyInstance;
  readonly ctx: AppContext;
  readonly config: Readonly<ApiConfig>;
  readonly database: TestDatabase;
  /** The API's clock: `time.advance(ms)` moves "now" for every protocol decision instead of sleeping. */
  readonly time: TestClock;
  /** Base URL when started with `listen: true` (equals PUBLIC_URL). */
  readonly baseUrl: string;
  /** Every log line written so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Raw log output, for "this secret never appears" assertions. */
  rawLogs(): string;
  /** A fresh admin access token from the bootstrap client (client_credentials). */
  adminToken(): Promise<string>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  readonly env?: Record<string, string>;
  /** Listen on a real loopback port (for OAuth client libraries and browsers). */
  readonly listen?: boolean;
  /**
   * The host name of PUBLIC_URL when listening (default 127.0.0.1). Passkey tests use `localhost`:
   * WebAuthn refuses an IP address as its RP ID, and Chromium resolves `localhost` to loopback.
   */
  readonly publicHost?: string;
  /**
   * Start a second replica of an API already running: same database and Redis prefix (its own
   * pools and connections, its own clock), as two pods would be. Closing it leaves the database.
   */
  readonly replicaOf?: TestApi;
}

/**
 * The real API against a private PostgreSQL database and a private Redis prefix, wired exactly as
 * `server.ts` does. Argon2 runs with the OWASP minimum parameters the config allows.
 */
export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const database = options.replicaOf?.database ?? (await createTestDatabase());
  const port = options.listen ? await freePort() : 0;
  // Each API its own spool directory, unless a test shares one to prove a restart replays it.
  const spoolDirectory = mkdtempSync(join(tmpdir(), 'lanyard-audit-spool-'));
  const baseUrl = options.listen ? `http://${options.publicHost ?? '127.0.0.1'}:${port}` : 'http://lanyard.test';
  const config = loadApiConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    PUBLIC_URL: baseUrl,
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: '5',
    REDIS_URL: testEnvironment.redisUrl,
    REDIS_KEY_PREFIX: options.replicaOf?.config.REDIS_KEY_PREFIX ?? uniqueRedisPrefix(),
    KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
    BOOTSTRAP_ADMIN_CLIENT_ID: testSecrets.bootstrapClientId,
    BOOTSTRAP_ADMIN_CLIENT_SECRET: testSecrets.bootstrapClientSecret,
    // Two cores run the whole suite at once: a 50 ms Redis deadline would trip on scheduling alone
    // and hand shared limits to the per-process fallback. The outage tests stop Redis for real.
    REDIS_COMMAND_TIMEOUT_MS: '5000',
    REDIS_STORE_TIMEOUT_MS: '5000',
    AUDIT_SPOOL_DIR: spoolDirectory,
    ...options.env,
  });
  const captured = captureLogs();
  const log = createLogger({ service: 'api', level: config.LOG_LEVEL, destination: captured.destination });
  const time = testClock();
  const ctx = await createAppContext(config, log, { clock: time.clock });
  await ensureSystemTenant(ctx);
  const app = await buildApp(ctx);
  const metricsApp = await buildMetricsApp(ctx);
  if (options.listen) await app.listen({ host: '127.0.0.1', port });
  else await app.ready();

  return {
    app,
    metricsApp,
    ctx,
    config,
    database,
    time,
    baseUrl,
    logs: captured.lines,
    rawLogs: captured.raw,
    async adminToken() {
      const response = await app.inject({
        method: 'POST',
        url: '/tenants/system/oauth2/token',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          // The bootstrap client authenticates with client_secret_basic, the RFC 7591 default.
          authorization: `Basic ${Buffer.from(`${testSecrets.bootstrapClientId}:${encodeURIComponent(testSecrets.bootstrapClientSecret)}`).toString('base64')}`,
        },
        payload: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
      });
      if (response.statusCode !== 200) throw new Error(`admin token request failed: ${response.body}`);
      return (response.json() as { access_token: string }).access_token;
    },
    async close() {
      await app.close();
      await metricsApp.close();
      await ctx.close();
      if (options.replicaOf === undefined) await database.drop();
      rmSync(spoolDirectory, { recursive: true, force: true });
    },
  };
}
