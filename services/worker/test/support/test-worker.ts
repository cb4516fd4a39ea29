import type { FastifyInstance } from 'fastify';
import { loadWorkerConfig, type WorkerConfig } from '@lanyard/config';
import { createLogger } from '@lanyard/logger';
import { captureLogs, createTestDatabase, testEnvironment, testSecrets, uniqueRedisPrefix, type TestDatabase } from '@lanyard/testing';
import { buildApp } from '../../src/app.js';
import { createWorkerContext, type WorkerContext } from '../../src/context.js';

export interface TestWorker {
  readonly ctx: WorkerContext;
  readonly app: FastifyInstance;
  readonly config: Readonly<WorkerConfig>;
  readonly database: TestDatabase;
  /** Every log line written so far, parsed. */
  readonly logs: Array<Record<string, unknown>>;
  /** Raw log output, for "this never appears in a log" assertions. */
  rawLogs(): string;
  /** The worker's "now" for maintenance jobs; tests move it with `clock.now = …`. */
  readonly clock: { now: Date };
  close(): Promise<void>;
}

export interface TestWorkerOptions {
  readonly env?: Record<string, string>;
  /** Share a database with another test worker (it is then not dropped on close). */
  readonly database?: TestDatabase;
  /** Share a REDIS_KEY_PREFIX (and so the BullMQ queues) with another test worker. */
  readonly redisKeyPrefix?: string;
  /** Register the maintenance schedules on start (off by default so jobs run only when a test adds them). */
  readonly schedulers?: boolean;
}

/**
 * The real worker against a private PostgreSQL database and a private Redis prefix, wired exactly
 * as `server.ts` does, with its workers running.
 */
export async function startTestWorker(options: TestWorkerOptions = {}): Promise<TestWorker> {
  const ownDatabase = options.database === undefined;
  const database = options.database ?? (await createTestDatabase());
  const config = loadWorkerConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'debug',
    DATABASE_URL: database.url,
    DATABASE_POOL_MAX: '4',
    REDIS_URL: testEnvironment.redisUrl,
    REDIS_KEY_PREFIX: options.redisKeyPrefix ?? uniqueRedisPrefix(),
    KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
    // Nothing listens here unless a test points SMTP_URL at its sink.
    SMTP_URL: 'smtp://127.0.0.1:9',
    WORKER_CONCURRENCY: '4',
    ...options.env,
  });
  const captured = captureLogs();
  const log = createLogger({ service: 'worker', level: config.LOG_LEVEL, destination: captured.destination });
  const clock = { now: new Date() };
  const ctx = createWorkerContext(config, log, { clock: () => clock.now });
  const app = await buildApp(ctx);
  await app.ready();
  await ctx.start({ schedulers: options.schedulers ?? false });

  return {
    ctx,
    app,
    config,
    database,
    logs: captured.lines,
    rawLogs: captured.raw,
    clock,
    async close() {
      await app.close();
      await ctx.close();
      if (ownDatabase) await database.drop();
    },
  };
}
