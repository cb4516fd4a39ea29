import { UnrecoverableError } from 'bullmq';
import { EMAIL_TEMPLATES, isIdempotencyKey, type EmailTemplate, type SendEmailJob } from '@lanyard/contracts';

// CR or LF in a header value would let a payload add headers of its own (header injection).
const LINE_BREAK = /[\r\n]/;
const ADDRESS = /^[^@\s<>]+@[^@\s<>]+$/;
// `addr@host` or `Display Name <addr@host>` (RFC 5322 §3.4 name-addr, display name optional);
// nodemailer quotes or encodes the display name itself.
const MAILBOX = /^(?:[^<>]*<[^@\s<>]+@[^@\s<>]+>|[^@\s<>]+@[^@\s<>]+)$/;

/**
 * Checks an `email/send` payload against the {@link SendEmailJob} contract. A malformed payload
 * never becomes valid by retrying, so it fails the job permanently; the message names the field,
 * never its value.
 */
export function parseSendEmailJob(data: unknown): SendEmailJob {
  if (typeof data !== 'object' || data === null) throw invalid('payload');
  const job = data as Record<string, unknown>;
  const to = job.to;
  if (typeof to !== 'string' || LINE_BREAK.test(to) || !ADDRESS.test(to)) throw invalid('to');
  const from = job.from;
  if (from !== undefined && (typeof from !== 'string' || LINE_BREAK.test(from) || !MAILBOX.test(from.trim()))) throw invalid('from');
  const fromName = job.fromName;
  // eslint-disable-next-line no-control-regex -- a header value must not carry control characters
  if (fromName !== undefined && (typeof fromName !== 'string' || fromName.trim() === '' || fromName.length > 100 || /[\u0000-\u001f\u007f]/.test(fromName))) throw invalid('fromName');
  if (typeof job.subject !== 'string' || LINE_BREAK.test(job.subject)) throw invalid('subject');
  if (typeof job.text !== 'string') throw invalid('text');
  if (job.html !== undefined && typeof job.html !== 'string') throw invalid('html');
  if (typeof job.tenant !== 'string' || job.tenant === '') throw invalid('tenant');
  if (!EMAIL_TEMPLATES.includes(job.template as EmailTemplate)) throw invalid('template');
  const key = job.idempotencyKey;
  if (!isIdempotencyKey(key)) throw invalid('idempotencyKey');
  return {
    to,
    ...(from === undefined ? {} : { from: (from as string).trim() }),
    ...(fromName === undefined ? {} : { fromName: (fromName as string).trim() }),
    subject: job.subject,
    text: job.text,
    ...(job.html === undefined ? {} : { html: job.html }),
    tenant: job.tenant,
    template: job.template as EmailTemplate,
    idempotencyKey: key,
  };
}

const invalid = (field: string) => new UnrecoverableError(`invalid email/send payload: ${field}`);
