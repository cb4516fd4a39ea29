import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SendEmailJob } from '@lanyard/contracts';
import { createTestDatabase, startSmtpSink, uniqueRedisPrefix, type SmtpSink, type TestDatabase } from '@lanyard/testing';
import { messageIdFor } from '../../../../src/jobs/email/message-id-for.js';
import { emailProducer, startWorkerProcess, waitUntilStopped, type EmailProducer, type WorkerProcess } from '../../../support/email-worker-process.js';
import { eventually, waitForJob } from '../../../support/wait-for-job.js';

const SMTP_FROM = 'Acme Identity <no-reply@acme.example>';

const email = (to: string): SendEmailJob => ({
  to,
  subject: 'Confirm your e-mail address for Acme',
  text: 'Open https://id.example/tenants/acme/verify?token=s3cr3t within an hour.',
  tenant: 'acme',
  template: 'email_verification',
  idempotencyKey: `email_verification.${randomUUID()}`,
});

// BullMQ notices a dead worker's job once its lock has expired (10 s, create-worker.ts) and two
// stalled-job checks (every 5 s) have seen it without one: up to about 20 s after the kill.
const RECOVERY_MS = 60_000;

/**
 * Where "mid-send" can be, for a worker that is SIGKILLed while SMTP is delivering its messages:
 * 1. the server has the whole message (final `.`) but has not answered yet: it has not taken
 *    responsibility, drops the message when the client goes away, and the new worker sends it once;
 * 2. the server has answered 250, but the worker died before reading it (RFC 1047): the server
 *    delivers it and the new worker, which finds no sent record, sends it again. No SMTP client can
 *    close this window; the copies carry one Message-ID, which receiving systems de-duplicate on.
 * 3. the worker read the 250 and wrote the sent record, but died before acknowledging the job:
 *    the new worker finds the record and completes the job without sending (that state is built
 *    directly in email-processor.test.ts, "completes a job whose sent record exists…"; a signal
 *    cannot be timed into that sub-millisecond gap).
 */
describe('a worker process killed mid-send', () => {
  let database: TestDatabase;
  let smtp: SmtpSink;
  let producer: EmailProducer;
  let redisKeyPrefix: string;
  const workers: WorkerProcess[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    smtp = await startSmtpSink();
    redisKeyPrefix = uniqueRedisPrefix();
    producer = emailProducer(redisKeyPrefix);
  });
  afterAll(async () => {
    for (const worker of workers) await worker.stop();
    await producer?.close();
    await smtp?.close();
    await database?.drop();
  });

  it(
    'has the new worker deliver each message once, as receiving systems count (by Message-ID)',
    async () => {
      const start = () => startWorkerProcess({ databaseUrl: database.url, redisKeyPrefix, smtpUrl: smtp.url, smtpFrom: SMTP_FROM });
      const first = await start();
      workers.push(first);

      // Both messages transmitted in full, both waiting for the server's reply.
      smtp.holdReplies();
      const unanswered = email('xavier@acme.example');
      const answered = email('yvonne@acme.example');
      const jobs = [await producer.send(unanswered), await producer.send(answered)];
      await smtp.waitForHeld(2, 15_000);

      // Freeze the worker, then answer one message: its 250 reaches a client that never reads it.
      process.kill(first.pid, 'SIGSTOP');
      await waitUntilStopped(first.pid);
      smtp.releaseHeld((m) => m.to.includes(answered.to));
      expect(smtp.messages.map((m) => m.to)).toEqual([[answered.to]]);
      process.kill(first.pid, 'SIGKILL');
      expect(await first.spawned.exited).toBe('SIGKILL');
      await eventually(() => smtp.abandoned.length === 1, 5_000, 'the unanswered message dropped with its connection');
      expect(smtp.abandoned.map((m) => m.to)).toEqual([[unanswered.to]]);
      for (const id of jobs) expect(await producer.queue.getJobState(id)).toBe('active');

      smtp.holdReplies(false);
      const second = await start();
      workers.push(second);
      for (const id of jobs) expect(await (await waitForJob(producer.queue, id, ['completed', 'failed'], RECOVERY_MS)).getState()).toBe('completed');

      const copies = (message: SendEmailJob) => smtp.messages.filter((m) => m.to.includes(message.to));
      // 1: dropped by the server when the first worker died, sent once by the second.
      expect(copies(unanswered)).toHaveLength(1);
      expect(copies(unanswered)[0]!.headers['message-id']).toBe(messageIdFor(unanswered.idempotencyKey, SMTP_FROM));
      expect(smtp.abandoned[0]!.headers['message-id']).toBe(copies(unanswered)[0]!.headers['message-id']);
      // 2: accepted twice, once from each worker, with one Message-ID: a single message for the recipient's system.
      expect(copies(answered)).toHaveLength(2);
      expect(new Set(copies(answered).map((m) => m.headers['message-id']))).toEqual(new Set([messageIdFor(answered.idempotencyKey, SMTP_FROM)]));

      // Both are recorded now, so no later attempt or re-add sends either again.
      for (const message of [unanswered, answered]) {
        expect(await producer.redis.get(`${redisKeyPrefix}email-sent:${message.idempotencyKey}`)).toBe(messageIdFor(message.idempotencyKey, SMTP_FROM));
      }
      // Log lines travel through stdout, which may trail the jobs' moves in Redis.
      const logged = (id: string, msg: string) => second.logs().some((l) => l.jobId === id && l.msg === msg);
      for (const id of jobs) {
        await eventually(() => logged(id, 'email sent'), 5_000, `job ${id} logged as sent`);
        expect(logged(id, 'job stalled')).toBe(true);
      }
      expect(first.logs().some((l) => l.msg === 'email sent')).toBe(false);
    },
    RECOVERY_MS + 60_000,
  );
});
