import { UnrecoverableError, type Job } from 'bullmq';
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { EMAIL_JOBS } from '@lanyard/contracts';
import type { Logger } from '@lanyard/logger';
import type { JobHandler } from '../job-handler.js';
import { classifySmtpError } from './classify-smtp-error.js';
import { mailboxAddress } from './mailbox-address.js';
import { messageIdFor } from './message-id-for.js';
import { parseSendEmailJob } from './parse-send-email-job.js';
import type { SentEmailRecords } from './sent-email-records.js';

/** What a completed `email/send` job returns (stored in Redis, shown on the dashboard). */
export interface SentEmail {
  readonly messageId: string;
  /** Set when an earlier attempt had already sent the message, so this one did not. */
  readonly alreadySent?: true;
}

/** What {@link EmailProcessor} sends with. */
export interface EmailProcessorOptions {
  readonly transport: Transporter<SMTPPool.SentMessageInfo>;
  /**
   * `SMTP_FROM`: the From of a message that brings none of its own, and always the envelope
   * sender (MAIL FROM), so bounces reach the operator and SPF is checked against the relay's own
   * domain even when a tenant's name and address are in the From header.
   */
  readonly from: string;
  readonly sentRecords: SentEmailRecords;
  /**
   * Told once when a message goes through after deliveries failed to reach the server, so the
   * waiting retries can be moved forward instead of sitting out their backoff. @default none
   */
  readonly onSmtpRecovered?: () => void;
}

/**
 * Processor of the `email` queue. `send` delivers one `SendEmailJob` (`@lanyard/contracts`) over
 * SMTP, at most once per idempotency key as far as SMTP allows (see `#send`). Logs name the tenant
 * and template, never the address, subject or body.
 */
export class EmailProcessor implements JobHandler {
  readonly jobNames: readonly string[] = Object.values(EMAIL_JOBS);
  readonly #transport: Transporter<SMTPPool.SentMessageInfo>;
  readonly #from: string;
  readonly #envelopeFrom: string | undefined;
  readonly #sentRecords: SentEmailRecords;
  readonly #onSmtpRecovered: () => void;
  /** Set by a failure worth retrying (the server unreachable, a 4xx), cleared by the next success. */
  #smtpFailing = false;

  constructor(options: EmailProcessorOptions) {
    this.#onSmtpRecovered = options.onSmtpRecovered ?? (() => {});
    this.#transport = options.transport;
    this.#from = options.from;
    this.#envelopeFrom = mailboxAddress(options.from);
    this.#sentRecords = options.sentRecords;
  }

  async process(job: Job, log: Logger): Promise<SentEmail> {
    switch (job.name) {
      case EMAIL_JOBS.send:
        return this.#send(job.data, log);
      default:
        throw new UnrecoverableError(`unknown email job "${job.name}"`);
    }
  }

  /** Tenant and template when the payload has them, so failures are attributable without the address. */
  logContext(job: Job): Record<string, string> {
    const data = (typeof job.data === 'object' && job.data !== null ? job.data : {}) as Record<string, unknown>;
    const context: Record<string, string> = {};
    if (typeof data.tenant === 'string') context.tenant = data.tenant;
    if (typeof data.template === 'string') context.template = data.template;
    return context;
  }

  /**
   * Sends once per idempotency key:
   * 1. a sent record for the key means an earlier attempt (this job before a crash, or an earlier
   *    job with the same key) got a 250: complete without talking to SMTP;
   * 2. otherwise send, with a Message-ID derived from the key;
   * 3. after the 250, write the record, before returning lets BullMQ acknowledge the job.
   * A crash between the 250 and step 3 (RFC 1047's window) makes the retry send a second copy, with
   * the same Message-ID, which receiving systems de-duplicate on.
   */
  async #send(data: unknown, log: Logger): Promise<SentEmail> {
    const email = parseSendEmailJob(data);
    const recorded = await this.#sentRecords.find(email.idempotencyKey);
    if (recorded !== undefined) {
      log.info({ messageId: recorded }, 'email already sent; not sending again');
      return { messageId: recorded, alreadySent: true };
    }

    const from = email.from ?? this.#from;
    const messageId = messageIdFor(email.idempotencyKey, from);
    // A tenant's name before the relay's own address; nodemailer quotes the name as RFC 5322 needs.
    const header = email.from === undefined && email.fromName !== undefined && this.#envelopeFrom !== undefined ? { name: email.fromName, address: this.#envelopeFrom } : from;
    try {
      await this.#transport.sendMail({
        from: header,
        to: email.to,
        ...(this.#envelopeFrom === undefined ? {} : { envelope: { from: this.#envelopeFrom, to: [email.to] } }),
        subject: email.subject,
        text: email.text,
        ...(email.html === undefined ? {} : { html: email.html }),
        messageId,
        // RFC 3834 §5: marks the message as automated so auto-responders do not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
    } catch (error) {
      const classified = classifySmtpError(error);
      if (!(classified instanceof UnrecoverableError)) this.#smtpFailing = true;
      throw classified;
    }
    if (this.#smtpFailing) {
      this.#smtpFailing = false;
      this.#onSmtpRecovered();
    }

    try {
      await this.#sentRecords.record(email.idempotencyKey, messageId);
    } catch (error) {
      // The message is out: failing the job now would make its retry a certain duplicate. Completing
      // it still lets the job id stop re-adds while BullMQ keeps the job.
      log.warn({ messageId, err: error }, 'email sent but not recorded as sent');
    }
    log.info({ messageId }, 'email sent');
    return { messageId };
  }
}
