import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RedisCall } from './redis-guard.js';
import { EMAIL_JOB_OPTIONS, EMAIL_JOBS, QUEUES, bullPrefix, isIdempotencyKey, type SendEmailJob } from '@lanyard/contracts';
import type { Logger } from '@lanyard/logger';

/** BullMQ custom job ids: no `:` (reserved for its own keys), bounded, printable. */

/**
 * Where the API hands emails to the worker: a BullMQ queue in Redis. A request waits for Redis to
 * accept the job (about a millisecond), never for SMTP. The job id is the message's idempotency
 * key, so adding the same message twice (a retried request) queues it once.
 *
 * The queue has a connection of its own: BullMQ defines ~50 Lua commands on the connection it
 * uses, and ioredis copies every defined command into each pipeline and transaction it builds,
 * which doubled the CPU of the rate limiter's calls on the shared connection.
 */
export class EmailOutbox {
  readonly #queue: Queue<SendEmailJob>;
  readonly #connection: Redis;

  constructor(
    connection: Redis,
    redisKeyPrefix: string,
    log: Logger,
    /** Its own guard: with Redis away, a request that would mail something answers 503 at once. */
    private readonly guard: RedisCall,
  ) {
    this.#connection = connection;
    this.#queue = new Queue<SendEmailJob>(QUEUES.email, { connection, prefix: bullPrefix(redisKeyPrefix), defaultJobOptions: EMAIL_JOB_OPTIONS });
    this.#queue.on('error', (error) => log.warn({ queue: QUEUES.email, err: error }, 'email queue connection error'));
  }

  async enqueue(message: SendEmailJob): Promise<void> {
    if (!isIdempotencyKey(message.idempotencyKey)) throw new Error(`email idempotency key "${String(message.idempotencyKey).slice(0, 40)}" is not a valid job id`);
    await this.guard.run(() => this.#queue.add(EMAIL_JOBS.send, message, { ...EMAIL_JOB_OPTIONS, jobId: message.idempotencyKey }));
  }

  /** Closes the queue and its connection. */
  async close(): Promise<void> {
    await this.#queue.close();
    await this.#connection.quit().catch(() => this.#connection.disconnect());
  }
}
