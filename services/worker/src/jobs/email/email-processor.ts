import { UnrecoverableError, type Job } from 'bullmq';
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool/index.js';
import { EMAIL_JOBS } from '@lanyard/contracts';
import type { Logger } from '@lanyard/logger';
import type { JobHandler } from '../job-handler.js';
import { classifySmtpError } from './classify-smtp-error.js';
import { parseSendEmailJob } from './parse-send-email-job.js';

/** What a completed `email/send` job returns (stored in Redis, shown on the dashboard). */
export interface SentEmail {
  readonly messageId: string;
}

/**
 * Processor of the `email` queue. `send` delivers one `SendEmailJob` (`@lanyard/contracts`) over SMTP from
 * `SMTP_FROM`. Logs name the tenant and template, never the address, subject or body.
 */
export class EmailProcessor implements JobHandler {
  readonly jobNames: readonly string[] = Object.values(EMAIL_JOBS);

  constructor(
    private readonly transport: Transporter<SMTPPool.SentMessageInfo>,
    private readonly from: string,
  ) {}

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

  async #send(data: unknown, log: Logger): Promise<SentEmail> {
    const email = parseSendEmailJob(data);
    let messageId: string;
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: email.to,
        subject: email.subject,
        text: email.text,
        ...(email.html === undefined ? {} : { html: email.html }),
        // RFC 3834 §5: marks the message as automated so auto-responders do not answer it.
        headers: { 'Auto-Submitted': 'auto-generated' },
      });
      messageId = info.messageId;
    } catch (error) {
      throw classifySmtpError(error);
    }
    log.info({ messageId }, 'email sent');
    return { messageId };
  }
}
