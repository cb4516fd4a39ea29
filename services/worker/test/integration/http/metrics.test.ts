import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_JOBS } from '@lanyard/contracts';
import { startTestWorker, type TestWorker } from '../../support/test-worker.js';
import { waitForJob } from '../../support/wait-for-job.js';

describe('/metrics', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startTestWorker();
  });
  afterAll(() => worker.close());

  it('exposes the contract metrics, with queue counts read on each scrape', async () => {
    // A payload that fails validation: one job processed without needing an SMTP server.
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, { to: 'not-an-address' } as never, { attempts: 1 });
    await waitForJob(worker.ctx.queues.email, job.id!, ['failed']);
    // While the queue is paused, new jobs wait in the "paused" state.
    await worker.ctx.queues.email.pause();
    try {
      await worker.ctx.queues.email.add(EMAIL_JOBS.send, { to: 'not-an-address' } as never);
      await worker.ctx.queues.email.add(EMAIL_JOBS.send, { to: 'not-an-address' } as never);

      const response = await worker.app.inject('/metrics');
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = response.body;
      for (const name of ['identity_jobs_total', 'identity_job_duration_seconds', 'identity_queue_jobs', 'process_cpu_seconds_total']) {
        expect(text).toContain(`# TYPE ${name}`);
      }
      expect(text).toContain('identity_jobs_total{queue="email",name="send",result="failure"} 1');
      expect(text).toContain('identity_job_duration_seconds_count{queue="email",name="send"} 1');
      expect(text).toContain('identity_queue_jobs{queue="email",state="waiting"} 0');
      expect(text).toContain('identity_queue_jobs{queue="email",state="paused"} 2');
      expect(text).toContain('identity_queue_jobs{queue="email",state="failed"} 1');
      expect(text).toContain('identity_queue_jobs{queue="maintenance",state="waiting"} 0');
    } finally {
      await worker.ctx.queues.email.resume();
    }
  });

  it('labels an unknown job name "unknown", so producers cannot mint label values', async () => {
    const job = await worker.ctx.queues.email.add('send-newsletter-2031-01-01' as never, {} as never, { attempts: 1 });
    const failed = await waitForJob(worker.ctx.queues.email, job.id!, ['failed']);
    expect(failed.failedReason).toBe('unknown email job "send-newsletter-2031-01-01"');
    const text = (await worker.app.inject('/metrics')).body;
    expect(text).toContain('identity_jobs_total{queue="email",name="unknown",result="failure"} 1');
    expect(text).not.toContain('send-newsletter');
  });
});
