import { UnrecoverableError } from 'bullmq';
import type { SendEmailJob } from '@lanyard/contracts';

const TEMPLATES: ReadonlyArray<SendEmailJob['template']> = ['email_verification', 'password_reset', 'generic'];
// CR or LF in a header value would let a payload add headers of its own (header injection).
const LINE_BREAK = /[\r\n]/;

/**
 * Checks an `email/send` payload against the {@link SendEmailJob} contract. A malformed payload
 * never becomes valid by retrying, so it fails the job permanently; the message names the field,
 * never its value.
 */
export function parseSendEmailJob(data: unknown): SendEmailJob {
  if (typeof data !== 'object' || data === null) throw invalid('payload');
  const job = data as Record<string, unknown>;
  const to = job.to;
  if (typeof to !== 'string' || LINE_BREAK.test(to) || !/^[^@\s]+@[^@\s]+$/.test(to)) throw invalid('to');
  if (typeof job.subject !== 'string' || LINE_BREAK.test(job.subject)) throw invalid('subject');
  if (typeof job.text !== 'string') throw invalid('text');
  if (job.html !== undefined && typeof job.html !== 'string') throw invalid('html');
  if (typeof job.tenant !== 'string' || job.tenant === '') throw invalid('tenant');
  if (!TEMPLATES.includes(job.template as SendEmailJob['template'])) throw invalid('template');
  return {
    to,
    subject: job.subject,
    text: job.text,
    ...(job.html === undefined ? {} : { html: job.html }),
    tenant: job.tenant,
    template: job.template as SendEmailJob['template'],
  };
}

const invalid = (field: string) => new UnrecoverableError(`invalid email/send payload: ${field}`);
