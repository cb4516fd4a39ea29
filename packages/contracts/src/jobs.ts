/**
 * Background jobs shared by the API (producer) and the worker (consumer). Queue and job names are a
 * contract: renaming one strands jobs already in Redis.
 */
export const QUEUES = {
  email: 'email',
  maintenance: 'maintenance',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** `email` queue, job name `send`. */
export interface SendEmailJob {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  /** For logs and metrics only; never the message body. */
  readonly tenant: string;
  readonly template: 'email_verification' | 'password_reset' | 'generic';
}

export const EMAIL_JOBS = { send: 'send' } as const;

/** `maintenance` queue job names; both run on a schedule (BullMQ job schedulers). */
export const MAINTENANCE_JOBS = {
  /** Purges expired authorization codes, refresh tokens, sessions and one-time tokens. */
  cleanup: 'cleanup',
  /** Applies the signing-key rotation plan to every tenant. */
  rotateKeys: 'rotate-keys',
} as const;
