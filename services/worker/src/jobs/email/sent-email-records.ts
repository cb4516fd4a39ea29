import type { Redis } from 'ioredis';

/**
 * How long a sent record outlives the message: longer than BullMQ keeps the job (completed email
 * jobs 1 hour, failed ones 3 days, `EMAIL_JOB_OPTIONS`), because while the job exists its id already
 * stops a duplicate from being queued, and after that only the record does.
 */
export const SENT_RECORD_TTL_SECONDS = 7 * 24 * 3_600;

/**
 * The durable "this message was sent" record, one Redis string per idempotency key at
 * `${REDIS_KEY_PREFIX}email-sent:<key>` holding the Message-ID, outside BullMQ's own keys so
 * cleaning or obliterating a queue never forgets what was sent.
 *
 * Give it a connection that waits through a Redis restart (`maxRetriesPerRequest: null`): the
 * record is written right after SMTP said 250, and a write that gave up would make a retry send the
 * message again.
 */
export class SentEmailRecords {
  constructor(
    private readonly redis: Redis,
    private readonly redisKeyPrefix: string,
    private readonly ttlSeconds: number = SENT_RECORD_TTL_SECONDS,
  ) {}

  /** The Redis key of one message's record. */
  key(idempotencyKey: string): string {
    return `${this.redisKeyPrefix}email-sent:${idempotencyKey}`;
  }

  /** The Message-ID the message was sent with, or undefined when it was not sent (or the record expired). */
  async find(idempotencyKey: string): Promise<string | undefined> {
    return (await this.redis.get(this.key(idempotencyKey))) ?? undefined;
  }

  /** Records that SMTP accepted the message (SET … EX: the record expires by itself). */
  async record(idempotencyKey: string, messageId: string): Promise<void> {
    await this.redis.set(this.key(idempotencyKey), messageId, 'EX', this.ttlSeconds);
  }
}
