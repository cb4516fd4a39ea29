import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { bullPrefix, EMAIL_JOB_OPTIONS, MAINTENANCE_JOB_OPTIONS, QUEUES } from '@lanyard/contracts';
import type { WorkerConfig } from '@lanyard/config';
import { createDatabase, type DatabaseHandle } from '@lanyard/db';
import type { Logger } from '@lanyard/logger';
import { Registry, collectDefaultMetrics, createWorkerMetrics, type WorkerMetrics } from '@lanyard/metrics';
import { deriveKey, EnvelopeCipher } from '@lanyard/security';
import { createRedis } from './infra/create-redis.js';
import { systemClock, type Clock } from '@lanyard/clock';
import { createWorker } from './jobs/create-worker.js';
import { createMailTransport } from './jobs/email/create-mail-transport.js';
import { EmailProcessor } from './jobs/email/email-processor.js';
import { SentEmailRecords } from './jobs/email/sent-email-records.js';
import { MaintenanceProcessor } from './jobs/maintenance/maintenance-processor.js';
import { rotationPolicy } from './jobs/maintenance/rotation-policy.js';
import { createQueues, type WorkerQueues } from './queues/create-queues.js';
import { queueCounts } from './queues/queue-counts.js';
import { registerSchedulers } from './queues/register-schedulers.js';

// SMTP connections are pooled; more than a few to one relay buys nothing and risks its rate limits.
const MAX_SMTP_CONNECTIONS = 5;

/**
 * Everything the worker runs on, wired once at start-up. Tests build one against real PostgreSQL,
 * Redis and an SMTP sink exactly as `server.ts` does.
 */
export interface WorkerContext {
  readonly config: Readonly<WorkerConfig>;
  readonly log: Logger;
  readonly database: DatabaseHandle;
  /** The command connection: queues, schedulers, readiness, metrics. */
  readonly redis: Redis;
  /** BullMQ key prefix derived from REDIS_KEY_PREFIX. */
  readonly prefix: string;
  readonly queues: WorkerQueues;
  readonly workers: readonly Worker[];
  readonly registry: Registry;
  readonly metrics: WorkerMetrics;
  /** Set when shutdown begins: readiness turns 503. */
  readonly lifecycle: { shuttingDown: boolean };
  /** Registers the maintenance schedules (unless `schedulers: false`) and starts taking jobs. */
  start(options?: { schedulers?: boolean }): Promise<void>;
  /** Stops taking jobs, waits for the ones in progress, then releases every connection. */
  close(): Promise<void>;
}

export interface WorkerContextOptions {
  /** "Now" for maintenance jobs; the wall clock unless a test moves time. */
  readonly clock?: Clock;
}

/**
 * Wires the worker: PostgreSQL pool, Redis connections (one for commands, one per worker), both
 * queues, both workers (stopped until `start()`), the SMTP pool and the metrics registry.
 */
export function createWorkerContext(config: Readonly<WorkerConfig>, log: Logger, options: WorkerContextOptions = {}): WorkerContext {
  const database = createDatabase({
    url: config.DATABASE_URL,
    poolMax: config.DATABASE_POOL_MAX,
    applicationName: 'lanyard-worker',
    log,
  });
  const prefix = bullPrefix(config.REDIS_KEY_PREFIX);
  const redis = createRedis(config.REDIS_URL, 'lanyard-worker', 'commands');
  const workerConnections = [
    createRedis(config.REDIS_URL, 'lanyard-worker-email', 'worker'),
    createRedis(config.REDIS_URL, 'lanyard-worker-maintenance', 'worker'),
  ] as const;
  for (const connection of [redis, ...workerConnections]) {
    connection.on('error', (error) => log.warn({ err: error }, 'redis connection error'));
  }
  const queues = createQueues(redis, prefix, log);

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics = createWorkerMetrics(registry, () => queueCounts([queues.email, queues.maintenance] as Queue[], log));

  const transport = createMailTransport(config.SMTP_URL, Math.min(MAX_SMTP_CONNECTIONS, config.WORKER_CONCURRENCY));
  const cipher = new EnvelopeCipher(deriveKey(config.KEY_ENCRYPTION_KEY, 'signing-key-encryption'));
  // After an SMTP outage, the e-mails that failed during it wait out an exponential backoff (up to
  // minutes); once one goes through, the rest are moved forward so delivery resumes in seconds.
  const onSmtpRecovered = () => {
    queues.email
      .promoteJobs()
      .then(() => log.info({}, 'SMTP reachable again: waiting e-mail retries moved forward'))
      .catch((error: unknown) => log.warn({ err: error }, 'could not move e-mail retries forward'));
  };
  const workers = [
    // Sent records go over the email worker's own connection, which waits through a Redis restart:
    // a record write that gave up after SMTP's 250 would let a retry send the message again.
    createWorker(QUEUES.email, new EmailProcessor({ transport, from: config.SMTP_FROM, sentRecords: new SentEmailRecords(workerConnections[0], config.REDIS_KEY_PREFIX), onSmtpRecovered }), {
      connection: workerConnections[0],
      prefix,
      concurrency: config.WORKER_CONCURRENCY,
      retention: EMAIL_JOB_OPTIONS,
      metrics,
      log,
    }),
    // One maintenance job at a time: both are bulk database work that gains nothing from overlapping.
    createWorker(
      QUEUES.maintenance,
      new MaintenanceProcessor({ db: database.db, cipher, policy: rotationPolicy(config), clock: options.clock ?? systemClock }),
      { connection: workerConnections[1], prefix, concurrency: 1, retention: MAINTENANCE_JOB_OPTIONS, metrics, log },
    ),
  ];
  const lifecycle = { shuttingDown: false };

  return {
    config,
    log,
    database,
    redis,
    prefix,
    queues,
    workers,
    registry,
    metrics,
    lifecycle,
    async start({ schedulers = true } = {}) {
      if (schedulers) await registerSchedulers(queues.maintenance, config);
      for (const worker of workers) {
        // run() resolves only when the worker closes; a failure to start is logged, not thrown at nobody.
        worker.run().catch((error: unknown) => log.error({ queue: worker.name, err: error }, 'worker stopped unexpectedly'));
      }
      log.info({ queues: workers.map((w) => w.name), concurrency: config.WORKER_CONCURRENCY, schedulers }, 'worker started');
    },
    async close() {
      lifecycle.shuttingDown = true;
      // Stop fetching first, then let jobs in progress finish: a half-sent email or a rotation cut
      // mid-tenant would otherwise be retried from scratch by another replica.
      await Promise.all(workers.map((worker) => worker.close()));
      await Promise.all([queues.email.close(), queues.maintenance.close()]);
      transport.close();
      await Promise.all([redis, ...workerConnections].map((connection) => connection.quit().catch(() => connection.disconnect())));
      await database.close();
    },
  };
}
