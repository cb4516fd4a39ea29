import { randomUUID } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_JOB_OPTIONS, EMAIL_JOBS, QUEUES, type SendEmailJob } from '@lanyard/contracts';
import { startSmtpSink, type SmtpSink } from '@lanyard/testing';
import { messageIdFor } from '../../../../src/jobs/email/message-id-for.js';
import { SENT_RECORD_TTL_SECONDS } from '../../../../src/jobs/email/sent-email-records.js';
import { startTestWorker, type TestWorker } from '../../../support/test-worker.js';
import { jobsTotal } from '../../../support/job-metrics.js';
import { eventually, waitForJob } from '../../../support/wait-for-job.js';

const RESET_LINK = 'https://id.example/tenants/acme/password/reset?token=s3cr3t-one-time-token';

const email = (to: string, overrides: Partial<SendEmailJob> = {}): SendEmailJob => ({
  to,
  subject: 'Reset your Acme password',
  text: `Open ${RESET_LINK} within an hour.`,
  html: `<p><a href="${RESET_LINK}">Reset your password</a></p>`,
  tenant: 'acme',
  template: 'password_reset',
  idempotencyKey: `password_reset.${randomUUID()}`,
  ...overrides,
});

// Fast retries so a test sees several attempts in well under a second.
const quickRetries = { attempts: 20, backoff: { type: 'fixed', delay: 150 } } as const;

describe('email/send through BullMQ to a real SMTP server', () => {
  let smtp: SmtpSink;
  let worker: TestWorker;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    worker = await startTestWorker({ env: { SMTP_URL: smtp.url, SMTP_FROM: 'Acme Identity <no-reply@acme.example>' } });
  });
  afterAll(async () => {
    await worker.close();
    await smtp.close();
  });
  afterEach(async () => {
    smtp.acceptAllRecipients();
    await smtp.up().catch(() => undefined);
  });

  it('delivers the message with the envelope, headers, subject and both bodies', async () => {
    const before = smtp.messages.length;
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, email('alice@acme.example'));
    const done = await waitForJob(worker.ctx.queues.email, job.id!, ['completed', 'failed']);
    expect(await done.getState()).toBe('completed');

    const [message] = smtp.messages.slice(before);
    expect(message!.from).toBe('no-reply@acme.example');
    expect(message!.to).toEqual(['alice@acme.example']);
    expect(message!.headers).toMatchObject({
      from: 'Acme Identity <no-reply@acme.example>',
      to: 'alice@acme.example',
      subject: 'Reset your Acme password',
      'auto-submitted': 'auto-generated',
    });
    expect(message!.headers['content-type']).toMatch(/^multipart\/alternative/);
    expect(decodeQuotedPrintable(message!.raw)).toContain(`Open ${RESET_LINK} within an hour.`);
    expect(message!.raw).toMatch(/Content-Type: text\/html/);
    expect(done.returnvalue).toEqual({ messageId: message!.headers['message-id'] });
    expect(await jobsTotal(worker.ctx.metrics, { queue: QUEUES.email, name: EMAIL_JOBS.send, result: 'success' })).toBeGreaterThanOrEqual(1);
  });

  it('fails a 550-rejected recipient permanently after one attempt, without the address in the reason', async () => {
    smtp.rejectRecipient('nobody@acme.example', 550);
    const failuresBefore = await jobsTotal(worker.ctx.metrics, { queue: QUEUES.email, name: EMAIL_JOBS.send, result: 'failure' });
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, email('nobody@acme.example'), quickRetries);
    const failed = await waitForJob(worker.ctx.queues.email, job.id!, ['failed', 'completed']);

    expect(await failed.getState()).toBe('failed');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toBe('SMTP server rejected the message permanently (550 at RCPT TO)');
    expect((failed.stacktrace ?? []).join('\n')).toContain(UnrecoverableError.name);
    expect(await jobsTotal(worker.ctx.metrics, { queue: QUEUES.email, name: EMAIL_JOBS.send, result: 'failure' })).toBe(failuresBefore + 1);
    const line = worker.logs.find((l) => l.jobId === job.id && l.msg === 'job failed');
    expect(line).toMatchObject({ level: 'error', queue: 'email', jobName: 'send', tenant: 'acme', template: 'password_reset', attempt: 1 });
  });

  it('retries while the SMTP server is down and delivers once it is back', async () => {
    const retriesBefore = await jobsTotal(worker.ctx.metrics, { queue: QUEUES.email, name: EMAIL_JOBS.send, result: 'retry' });
    const before = smtp.messages.length;
    await smtp.down();
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, email('bob@acme.example'), quickRetries);

    // Several refused connections, each a failed attempt scheduled for retry.
    await eventually(async () => ((await worker.ctx.queues.email.getJob(job.id!))?.attemptsMade ?? 0) >= 2, 15_000, 'two failed attempts');
    const retrying = (await worker.ctx.queues.email.getJob(job.id!))!;
    expect(['delayed', 'waiting', 'active']).toContain(await retrying.getState());
    expect(retrying.failedReason).toMatch(/^SMTP delivery failed \(ESOCKET at CONN\): connect ECONNREFUSED/);
    expect(await jobsTotal(worker.ctx.metrics, { queue: QUEUES.email, name: EMAIL_JOBS.send, result: 'retry' })).toBeGreaterThanOrEqual(retriesBefore + 2);
    expect(smtp.messages.length).toBe(before);

    await smtp.up();
    const done = await waitForJob(worker.ctx.queues.email, job.id!, ['completed', 'failed']);
    expect(await done.getState()).toBe('completed');
    expect(smtp.messages.slice(before).map((m) => m.to)).toEqual([['bob@acme.example']]);
  });

  it('retries a 4xx deferral and delivers once the recipient is accepted', async () => {
    smtp.rejectRecipient('carol@acme.example', 451);
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, email('carol@acme.example'), quickRetries);
    await eventually(async () => ((await worker.ctx.queues.email.getJob(job.id!))?.attemptsMade ?? 0) >= 1, 15_000, 'a deferred attempt');
    expect((await worker.ctx.queues.email.getJob(job.id!))!.failedReason).toBe('SMTP server did not accept the message now (451 at RCPT TO)');

    smtp.acceptAllRecipients();
    const done = await waitForJob(worker.ctx.queues.email, job.id!, ['completed', 'failed']);
    expect(await done.getState()).toBe('completed');
    expect(smtp.messages.at(-1)!.to).toEqual(['carol@acme.example']);
  });

  it('fails a malformed payload permanently, naming the field but not its value', async () => {
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, email('mallory@acme.example', { subject: 'hi\r\nBcc: victim@elsewhere.example' }), quickRetries);
    const failed = await waitForJob(worker.ctx.queues.email, job.id!, ['failed', 'completed']);
    expect(failed.failedReason).toBe('invalid email/send payload: subject');
    expect(failed.attemptsMade).toBe(1);
  });

  it('sends from the tenant with a Message-ID derived from the idempotency key, bounces still to SMTP_FROM', async () => {
    const before = smtp.messages.length;
    const message = email('erin@acme.example', { from: 'Acme Corp <accounts@acme-corp.example>' });
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, message, { ...EMAIL_JOB_OPTIONS, jobId: message.idempotencyKey });
    expect(job.id).toBe(message.idempotencyKey);
    const done = await waitForJob(worker.ctx.queues.email, job.id!, ['completed', 'failed']);
    expect(await done.getState()).toBe('completed');

    const [received] = smtp.messages.slice(before);
    expect(received!.headers.from).toBe('Acme Corp <accounts@acme-corp.example>');
    expect(received!.from).toBe('no-reply@acme.example');
    expect(received!.headers['message-id']).toBe(messageIdFor(message.idempotencyKey, message.from!));
    expect(received!.headers['message-id']).toMatch(/^<[0-9a-f]{40}@acme-corp\.example>$/);
    expect(done.returnvalue).toEqual({ messageId: received!.headers['message-id'] });
  });

  it('records a sent message under REDIS_KEY_PREFIX + email-sent:<key>, expiring after a week, and no rejected one', async () => {
    const sent = email('frank@acme.example');
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, sent, { ...EMAIL_JOB_OPTIONS, jobId: sent.idempotencyKey });
    const done = await waitForJob(worker.ctx.queues.email, job.id!, ['completed', 'failed']);
    const key = `${worker.config.REDIS_KEY_PREFIX}email-sent:${sent.idempotencyKey}`;
    expect(await worker.ctx.redis.get(key)).toBe(done.returnvalue.messageId);
    const ttl = await worker.ctx.redis.ttl(key);
    expect(ttl).toBeGreaterThan(SENT_RECORD_TTL_SECONDS - 60);
    expect(ttl).toBeLessThanOrEqual(SENT_RECORD_TTL_SECONDS);

    smtp.rejectRecipient('nobody@acme.example', 550);
    const rejected = email('nobody@acme.example');
    const failed = await worker.ctx.queues.email.add(EMAIL_JOBS.send, rejected, { ...EMAIL_JOB_OPTIONS, jobId: rejected.idempotencyKey });
    await waitForJob(worker.ctx.queues.email, failed.id!, ['failed', 'completed']);
    expect(await worker.ctx.redis.exists(`${worker.config.REDIS_KEY_PREFIX}email-sent:${rejected.idempotencyKey}`)).toBe(0);
  });

  it('completes a job whose sent record exists without contacting SMTP', async () => {
    // The state a crash after the 250 and the record, but before the acknowledgement, leaves behind.
    const message = email('grace@acme.example');
    await worker.ctx.redis.set(`${worker.config.REDIS_KEY_PREFIX}email-sent:${message.idempotencyKey}`, '<earlier@acme.example>', 'EX', 60);
    const connections = smtp.connections;
    const messages = smtp.messages.length;

    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, message, { ...EMAIL_JOB_OPTIONS, jobId: message.idempotencyKey });
    const done = await waitForJob(worker.ctx.queues.email, job.id!, ['completed', 'failed']);
    expect(await done.getState()).toBe('completed');
    expect(done.returnvalue).toEqual({ messageId: '<earlier@acme.example>', alreadySent: true });
    expect(smtp.connections).toBe(connections);
    expect(smtp.messages.length).toBe(messages);
    expect(worker.logs.find((l) => l.jobId === job.id && l.msg === 'email already sent; not sending again')).toMatchObject({
      level: 'info',
      messageId: '<earlier@acme.example>',
      tenant: 'acme',
      template: 'password_reset',
    });
  });

  it('does not send a message again when it is re-added after its job was removed', async () => {
    const before = smtp.messages.length;
    const message = email('heidi@acme.example');
    const first = await worker.ctx.queues.email.add(EMAIL_JOBS.send, message, { ...EMAIL_JOB_OPTIONS, jobId: message.idempotencyKey });
    await waitForJob(worker.ctx.queues.email, first.id!, ['completed']);
    // While the job exists, its id alone stops a duplicate: adding it again is a no-op.
    await worker.ctx.queues.email.add(EMAIL_JOBS.send, message, { ...EMAIL_JOB_OPTIONS, jobId: message.idempotencyKey });
    // Once retention removed it (an hour for completed email jobs), only the sent record does.
    await (await worker.ctx.queues.email.getJob(first.id!))!.remove();
    const again = await worker.ctx.queues.email.add(EMAIL_JOBS.send, message, { ...EMAIL_JOB_OPTIONS, jobId: message.idempotencyKey });
    const done = await waitForJob(worker.ctx.queues.email, again.id!, ['completed', 'failed']);
    expect(done.returnvalue).toMatchObject({ alreadySent: true });
    expect(smtp.messages.slice(before).map((m) => m.to)).toEqual([['heidi@acme.example']]);
  });

  it('never logs recipient addresses, subjects, bodies or links', async () => {
    // Log lines of its own, from a job of every outcome: delivered; rejected for good (550); deferred (451)
    // and refused a connection, each delivered once the server recovers; and a malformed payload.
    const outcome = async (message: SendEmailJob, recover?: () => Promise<void> | void) => {
      const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, message, quickRetries);
      if (recover !== undefined) {
        await eventually(async () => ((await worker.ctx.queues.email.getJob(job.id!))?.attemptsMade ?? 0) >= 1, 15_000, 'a failed attempt');
        await recover();
      }
      return (await waitForJob(worker.ctx.queues.email, job.id!, ['completed', 'failed'])).getState();
    };
    expect(await outcome(email('alice@acme.example'))).toBe('completed');
    smtp.rejectRecipient('nobody@acme.example', 550);
    expect(await outcome(email('nobody@acme.example'))).toBe('failed');
    smtp.rejectRecipient('carol@acme.example', 451);
    expect(await outcome(email('carol@acme.example'), () => smtp.acceptAllRecipients())).toBe('completed');
    await smtp.down();
    expect(await outcome(email('bob@acme.example'), () => smtp.up())).toBe('completed');
    expect(await outcome(email('mallory@acme.example', { subject: 'hi\r\nBcc: victim@elsewhere.example' }))).toBe('failed');

    const raw = worker.rawLogs();
    expect(raw).toContain('"msg":"email sent"');
    for (const secret of ['alice@', 'nobody@', 'bob@', 'carol@', 'mallory@', 'victim@', 'Reset your', 's3cr3t-one-time-token']) {
      expect(raw).not.toContain(secret);
    }
  });
});

describe('shutdown with a delivery in flight', () => {
  it('lets the job in progress finish before the connections close', async () => {
    const smtp = await startSmtpSink();
    const worker = await startTestWorker({ env: { SMTP_URL: smtp.url } });
    try {
      smtp.delayReplies(700);
      const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, email('dave@acme.example'));
      await waitForJob(worker.ctx.queues.email, job.id!, ['active']);
      await worker.ctx.close();
      expect(worker.logs.find((l) => l.jobId === job.id && l.msg === 'job completed')).toBeDefined();
      expect(smtp.messages.map((m) => m.to)).toEqual([['dave@acme.example']]);
    } finally {
      await worker.app.close();
      await worker.database.drop();
      await smtp.close();
    }
  });
});

/** Undoes quoted-printable soft line breaks and escapes (RFC 2045 §6.7), which nodemailer uses for long lines. */
function decodeQuotedPrintable(raw: string): string {
  return raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
