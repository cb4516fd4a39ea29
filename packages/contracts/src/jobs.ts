/**
 * Background jobs shared by the API (producer) and the worker (consumer). Queue and job names are a
 * contract: renaming one strands jobs already in Redis.
 */
export const QUEUES = {
  email: 'email',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** What an e-mail is about: a label for logs, metrics and the dashboard, never its content. */
export type EmailTemplate =
  | 'email_verification'
  | 'password_reset'
  | 'password_changed'
  | 'password_set'
  | 'email_changed'
  | 'invitation'
  | 'new_device_sign_in'
  | 'lockout_notice'
  | 'account_exists'
  | 'recovery_code_used'
  | 'second_factor_added'
  | 'second_factors_reset'
  | 'generic';

export const EMAIL_TEMPLATES: readonly EmailTemplate[] = [
  'email_verification',
  'password_reset',
  'password_changed',
  'password_set',
  'email_changed',
  'invitation',
  'new_device_sign_in',
  'lockout_notice',
  'account_exists',
  'recovery_code_used',
  'second_factor_added',
  'second_factors_reset',
  'generic',
];

/**
 * `email` queue, job name `send`: one message, rendered by the producer. The producer adds it with
 * `jobId = idempotencyKey`, so adding the same message twice queues it once; the worker records a
 * message SMTP accepted under the same key, so a retry after a crash never sends it again.
 */
export interface SendEmailJob {
  readonly to: string;
  /** `Display Name <address>` of the tenant; the worker's SMTP_FROM when absent. */
  readonly from?: string;
  /**
   * When `from` is absent: the display name to put before SMTP_FROM's address, so a tenant that
   * set only a sender name still signs its emails (`"Acme" <no-reply@relay>`).
   */
  readonly fromName?: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** For logs and metrics only; never the message body. */
  readonly tenant: string;
  readonly template: EmailTemplate;
  /**
   * Unique per message, e.g. `email_verification.<token id>`: the job id (so no `:`, which BullMQ
   * refuses in custom ids), the Message-ID, and the key of the worker's sent record.
   */
  readonly idempotencyKey: string;
}

/**
 * Whether `key` may be a {@link SendEmailJob.idempotencyKey}: what BullMQ accepts as a custom job
 * id (no `:`, not an integer; stricter than BullMQ, which takes `007`: no all-digit key at all),
 * bounded and printable. The API checks it before queueing, the worker again before sending.
 */
export const isIdempotencyKey = (key: unknown): key is string => typeof key === 'string' && /^[A-Za-z0-9._-]{1,200}$/.test(key) && !/^-?\d+$/.test(key);

export const EMAIL_JOBS = { send: 'send' } as const;

/** `maintenance` queue job names; both run on a schedule (BullMQ job schedulers). */
export const MAINTENANCE_JOBS = {
  /** Purges expired authorization codes, refresh tokens, sessions and one-time tokens. */
  cleanup: 'cleanup',
  /** Applies the signing-key rotation plan to every tenant. */
  rotateKeys: 'rotate-keys',
} as const;

/**
 * BullMQ key prefix under `REDIS_KEY_PREFIX` (`lanyard:` → `lanyard:bull`, keys `lanyard:bull:email:…`).
 * Producers and the worker must agree, or jobs sit unseen; both derive it with this rule.
 */
export function bullPrefix(redisKeyPrefix: string): string {
  return `${redisKeyPrefix}bull`;
}

/** How many finished jobs to keep (BullMQ `KeepJobs`). */
interface KeepJobs {
  readonly age?: number;
  readonly count?: number;
}

/** Retry and retention settings of one queue, every field set so a worker can fall back to them. */
export interface JobOptions {
  readonly attempts: number;
  readonly backoff: { readonly type: 'exponential'; readonly delay: number };
  readonly removeOnComplete: KeepJobs;
  readonly removeOnFail: KeepJobs;
}

const HOUR = 3_600;
const DAY = 24 * HOUR;

/**
 * Defaults for `email` jobs. Eight attempts with exponential backoff from 15 s span about half an
 * hour, enough to ride out an SMTP restart while a reset link is still worth sending. Finished jobs
 * hold recipients and bodies (with one-time links), so they are kept only briefly and in bounded
 * numbers. Producers pass these when adding; the worker applies them as queue defaults.
 */
export const EMAIL_JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 15_000 },
  removeOnComplete: { age: HOUR, count: 1_000 },
  removeOnFail: { age: 3 * DAY, count: 1_000 },
} as const satisfies JobOptions;

/**
 * Defaults for `maintenance` jobs: a few retries (the next scheduled run is never far away), and
 * history kept long enough to see what recent runs did.
 */
export const MAINTENANCE_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { age: DAY, count: 200 },
  removeOnFail: { age: 7 * DAY, count: 200 },
} as const satisfies JobOptions;
