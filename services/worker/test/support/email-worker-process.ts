import { readFileSync } from 'node:fs';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { bullPrefix, EMAIL_JOB_OPTIONS, EMAIL_JOBS, QUEUES, type SendEmailJob } from '@lanyard/contracts';
import { freePort, spawnEntry, testEnvironment, testSecrets, type SpawnedProcess } from '@lanyard/testing';

const ENTRY = 'services/worker/src/server.ts';

/** `services/worker/src/server.ts` running as its own process, as in production. */
export interface WorkerProcess {
  readonly spawned: SpawnedProcess;
  readonly pid: number;
  /** Where its HTTP side (dashboard, probes) listens. */
  readonly url: string;
  /** Its log lines so far, parsed. */
  logs(): Array<Record<string, unknown>>;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | string>;
}

export interface WorkerProcessOptions {
  readonly databaseUrl: string;
  readonly redisKeyPrefix: string;
  readonly smtpUrl: string;
  readonly smtpFrom: string;
}

/** Starts a worker process and resolves once it listens (its workers are taking jobs by then). */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const port = await freePort();
  const spawned = spawnEntry(ENTRY, {
    // Development: the dashboard is on, read-only and without a password, as under `npm run up`.
    NODE_ENV: 'development',
    LOG_LEVEL: 'info',
    WORKER_HOST: '127.0.0.1',
    WORKER_PORT: String(port),
    DATABASE_URL: options.databaseUrl,
    REDIS_URL: testEnvironment.redisUrl,
    REDIS_KEY_PREFIX: options.redisKeyPrefix,
    KEY_ENCRYPTION_KEY: testSecrets.keyEncryptionKey,
    SMTP_URL: options.smtpUrl,
    SMTP_FROM: options.smtpFrom,
    WORKER_CONCURRENCY: '4',
    SHUTDOWN_GRACE_SECONDS: '10',
  });
  await spawned.waitFor('Server listening');
  return {
    spawned,
    pid: spawned.child.pid!,
    url: `http://127.0.0.1:${port}`,
    logs: () =>
      spawned
        .stdout()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    async stop() {
      if (spawned.child.exitCode === null && spawned.child.signalCode === null) spawned.child.kill('SIGTERM');
      return spawned.exited;
    },
  };
}

/** Resolves once the kernel reports the process stopped (SIGSTOP delivered), so it can no longer read a reply. */
export async function waitUntilStopped(pid: number, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    // proc(5): the state follows the parenthesised command name; `T` is "stopped by a signal".
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('T')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`process ${pid} did not stop within ${timeoutMs} ms`);
}

/** The API's side of the queue: its own connection and Queue, adding jobs exactly as the API will. */
export interface EmailProducer {
  readonly queue: Queue<SendEmailJob>;
  readonly redis: Redis;
  /** Adds the message with `jobId = idempotencyKey` and `EMAIL_JOB_OPTIONS`, plus `options` (a test's short backoff). */
  send(message: SendEmailJob, options?: { readonly backoff?: { readonly type: 'fixed' | 'exponential'; readonly delay: number } }): Promise<string>;
  close(): Promise<void>;
}

export function emailProducer(redisKeyPrefix: string): EmailProducer {
  const redis = new Redis(testEnvironment.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<SendEmailJob>(QUEUES.email, { connection: redis, prefix: bullPrefix(redisKeyPrefix) });
  return {
    queue,
    redis,
    async send(message, options = {}) {
      const job = await queue.add(EMAIL_JOBS.send, message, { jobId: message.idempotencyKey, ...EMAIL_JOB_OPTIONS, ...options });
      return job.id!;
    },
    async close() {
      await queue.obliterate({ force: true }).catch(() => undefined);
      const records = await redis.keys(`${redisKeyPrefix}email-sent:*`);
      if (records.length > 0) await redis.del(...records);
      await queue.close();
      await redis.quit();
    },
  };
}
