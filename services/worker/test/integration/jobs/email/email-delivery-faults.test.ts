import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_JOB_OPTIONS, type SendEmailJob } from '@lanyard/contracts';
import { createTestDatabase, startSmtpSink, uniqueRedisPrefix, type SmtpSink, type TestDatabase } from '@lanyard/testing';
import { messageIdFor } from '../../../../src/jobs/email/message-id-for.js';
import { emailProducer, startWorkerProcess, type EmailProducer, type WorkerProcess } from '../../../support/email-worker-process.js';
import { eventually, waitForJob } from '../../../support/wait-for-job.js';

const SMTP_FROM = 'Acme Identity <no-reply@acme.example>';

const email = (to: string): SendEmailJob => ({
  to,
  subject: 'Reset your Acme password',
  text: 'Open https://id.example/tenants/acme/password/reset?token=s3cr3t within an hour.',
  tenant: 'acme',
  template: 'password_reset',
  idempotencyKey: `password_reset.${randomUUID()}`,
});

describe('email delivery faults, against the worker process and a real SMTP server', () => {
  let database: TestDatabase;
  let smtp: SmtpSink;
  let worker: WorkerProcess;
  let producer: EmailProducer;
  let redisKeyPrefix: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpSink();
    redisKeyPrefix = uniqueRedisPrefix();
    worker = await startWorkerProcess({ databaseUrl: database.url, redisKeyPrefix, smtpUrl: smtp.url, smtpFrom: SMTP_FROM });
    producer = emailProducer(redisKeyPrefix);
  });
  afterAll(async () => {
    await worker?.stop();
    await producer?.close();
    await smtp?.close();
    await database?.drop();
  });

  it('delivers a message once the SMTP server is back after refusing connections for a while', async () => {
    await smtp.down();
    const message = email('bob@acme.example');
    // The producer's options rule (the worker applies only retention defaults): a short backoff
    // instead of 15 s, with EMAIL_JOB_OPTIONS' 8 attempts.
    const jobId = await producer.send(message, { backoff: { type: 'exponential', delay: 100 } });

    await eventually(async () => ((await producer.queue.getJob(jobId))?.attemptsMade ?? 0) >= 2, 15_000, 'two refused attempts');
    const retrying = (await producer.queue.getJob(jobId))!;
    expect(['delayed', 'waiting', 'active']).toContain(await retrying.getState());
    expect(retrying.failedReason).toMatch(/^SMTP delivery failed \(ESOCKET at CONN\): connect ECONNREFUSED/);
    expect(smtp.messages.filter((m) => m.to.includes('bob@acme.example'))).toHaveLength(0);

    await smtp.up();
    const done = await waitForJob(producer.queue, jobId, ['completed', 'failed'], 20_000);
    expect(await done.getState()).toBe('completed');
    const delivered = smtp.messages.filter((m) => m.to.includes('bob@acme.example'));
    expect(delivered).toHaveLength(1);
    expect(delivered[0]!.headers['message-id']).toBe(messageIdFor(message.idempotencyKey, SMTP_FROM));
    expect(done.returnvalue).toEqual({ messageId: delivered[0]!.headers['message-id'] });
    await eventually(() => worker.logs().filter((l) => l.jobId === jobId && l.msg === 'job failed; will retry').length >= 2, 5_000, 'the retries logged');
  });

  it('once a message gets through after an outage, the retries waiting out a long backoff are sent at once', async () => {
    await smtp.down();
    const stuck = email('carol@acme.example');
    // A backoff of ten minutes: without the promotion it would still be waiting when the test ends.
    const stuckId = await producer.send(stuck, { backoff: { type: 'exponential', delay: 600_000 } });
    await eventually(
      async () => {
        const job = await producer.queue.getJob(stuckId);
        return job?.attemptsMade === 1 && (await job.getState()) === 'delayed';
      },
      15_000,
      'a refused attempt, now delayed',
    );

    await smtp.up();
    const first = await producer.send(email('dave@acme.example'));
    expect(await (await waitForJob(producer.queue, first, ['completed', 'failed'], 20_000)).getState()).toBe('completed');
    const done = await waitForJob(producer.queue, stuckId, ['completed', 'failed'], 20_000);
    expect(await done.getState()).toBe('completed');
    expect(done.attemptsMade).toBe(2);
    expect(smtp.messages.filter((m) => m.to.includes('carol@acme.example'))).toHaveLength(1);
    await eventually(() => worker.logs().some((l) => l.msg === 'SMTP reachable again: waiting e-mail retries moved forward'), 5_000, 'the promotion logged');
  });

  it('fails a permanently rejected (550) message after one attempt, and keeps it on the dashboard', async () => {
    smtp.rejectRecipient('nobody@acme.example', 550);
    const message = email('nobody@acme.example');
    // EMAIL_JOB_OPTIONS as they are: 8 attempts, 15 s backoff. A retry would show as `delayed`.
    const jobId = await producer.send(message);

    const failed = await waitForJob(producer.queue, jobId, ['failed', 'completed', 'delayed'], 20_000);
    expect(await failed.getState()).toBe('failed');
    expect(failed.attemptsMade).toBe(1);
    expect(failed.failedReason).toBe('SMTP server rejected the message permanently (550 at RCPT TO)');
    expect(failed.opts.removeOnFail).toEqual(EMAIL_JOB_OPTIONS.removeOnFail);
    expect((await producer.queue.getFailed()).map((j) => j.id)).toContain(jobId);
    expect(await producer.redis.exists(`${redisKeyPrefix}email-sent:${message.idempotencyKey}`)).toBe(0);
    // The log line travels through the process's stdout, which may trail the job's move in Redis.
    await eventually(() => worker.logs().some((l) => l.jobId === jobId && l.msg === 'job failed'), 5_000, 'the failure logged');
    expect(worker.logs().filter((l) => l.jobId === jobId && String(l.msg).startsWith('job failed'))).toEqual([
      expect.objectContaining({ msg: 'job failed', level: 'error', attempt: 1, maxAttempts: 8, tenant: 'acme', template: 'password_reset' }),
    ]);

    const response = await fetch(`${worker.url}/api/queues?activeQueue=email&status=failed&page=1&jobsPerPage=10`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { queues: Array<{ name: string; jobs: Array<{ id: string; attempts: number; failedReason: string; data: unknown }> }> };
    const shown = body.queues.find((q) => q.name === 'email')!.jobs.find((j) => j.id === jobId);
    // bull-board names attemptsMade `attempts`.
    expect(shown).toMatchObject({ attempts: 1, failedReason: 'SMTP server rejected the message permanently (550 at RCPT TO)' });
    expect(shown!.data).toEqual({ tenant: 'acme', template: 'password_reset', to: '[redacted]', subject: '[redacted]', text: '[redacted]' });
    expect(smtp.messages.filter((m) => m.to.includes('nobody@acme.example'))).toHaveLength(0);
  });
});
