import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMAIL_JOBS, type SendEmailJob } from '@lanyard/contracts';
import { startTestWorker, type TestWorker } from '../../support/test-worker.js';
import { waitForJob } from '../../support/wait-for-job.js';

const PASSWORD = 'correct-horse-battery-staple';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

// Invalid "to", so the job fails at once without an SMTP server and stays on the dashboard.
const failingEmail: SendEmailJob = {
  to: 'not-an-address',
  subject: 'Verify alice@acme.example',
  text: 'https://id.example/verify?token=s3cr3t',
  tenant: 'acme',
  template: 'email_verification',
  idempotencyKey: 'email_verification.dashboard-test',
};

describe('queue dashboard without a password', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startTestWorker();
  });
  afterAll(() => worker.close());

  it('serves the bull-board page at / with security headers', async () => {
    const page = await worker.app.inject('/');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers).toMatchObject({
      'x-frame-options': 'DENY',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(page.body)![1]!;
    const asset = await worker.app.inject(`/${script}`);
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).not.toBe('no-store');
  });

  it('lists both queues read-only, with email payloads redacted', async () => {
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, failingEmail, { attempts: 1 });
    await waitForJob(worker.ctx.queues.email, job.id!, ['failed']);

    const response = await worker.app.inject('/api/queues?activeQueue=email&status=failed&page=1&jobsPerPage=10');
    expect(response.statusCode).toBe(200);
    const body = response.json() as { queues: Array<{ name: string; readOnlyMode: boolean; jobs: Array<{ id: string; data: unknown }> }> };
    expect(body.queues.map((q) => [q.name, q.readOnlyMode])).toEqual([
      ['email', true],
      ['maintenance', true],
    ]);
    const shown = body.queues[0]!.jobs.find((j) => j.id === job.id)!;
    expect(shown.data).toEqual({ tenant: 'acme', template: 'email_verification', to: '[redacted]', subject: '[redacted]', text: '[redacted]' });
    expect(response.body).not.toContain('s3cr3t');
    expect(response.body).not.toContain('alice@acme.example');

    const retry = await worker.app.inject({ method: 'PUT', url: `/api/queues/email/${job.id}/retry` });
    expect(retry.statusCode).toBe(405);
    expect(await worker.ctx.queues.email.getJobState(job.id!)).toBe('failed');
  });
});

describe('queue dashboard with WORKER_DASHBOARD_PASSWORD', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startTestWorker({ env: { WORKER_DASHBOARD_USER: 'ops', WORKER_DASHBOARD_PASSWORD: PASSWORD } });
  });
  afterAll(() => worker.close());

  it('asks for Basic credentials on the page, its assets and its API', async () => {
    for (const url of ['/', '/api/queues', '/static/favicon-32x32.png', '/queue/email']) {
      const response = await worker.app.inject(url);
      expect(response.statusCode, url).toBe(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="Lanyard worker", charset="UTF-8"');
    }
  });

  it.each([
    ['a wrong password', basic('ops', `${PASSWORD}x`)],
    ['a wrong user', basic('admin', PASSWORD)],
    ['a password prefix', basic('ops', PASSWORD.slice(0, -1))],
    ['no colon', `Basic ${Buffer.from(`ops${PASSWORD}`).toString('base64')}`],
    ['another scheme', `Bearer ${PASSWORD}`],
  ])('refuses %s', async (_case, authorization) => {
    const response = await worker.app.inject({ url: '/', headers: { authorization } });
    expect(response.statusCode).toBe(401);
  });

  it('serves the dashboard with the right credentials, and lets it act', async () => {
    const authorization = basic('ops', PASSWORD);
    const page = await worker.app.inject({ url: '/', headers: { authorization } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const queues = await worker.app.inject({ url: '/api/queues', headers: { authorization } });
    expect(queues.json().queues.map((q: { readOnlyMode: boolean }) => q.readOnlyMode)).toEqual([false, false]);

    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, failingEmail, { attempts: 1 });
    await waitForJob(worker.ctx.queues.email, job.id!, ['failed']);
    const retry = await worker.app.inject({
      method: 'PUT',
      url: `/api/queues/email/${job.id}/retry`,
      headers: { authorization, origin: 'http://worker.test', host: 'worker.test', 'sec-fetch-site': 'same-origin' },
    });
    expect(retry.statusCode).toBe(204);
    expect(worker.logs.find((l) => l.msg === 'dashboard action')).toMatchObject({
      method: 'PUT',
      route: '/api/queues/:queueName/:jobId/retry',
      statusCode: 204,
    });
  });

  it('refuses to edit a redacted email payload, which would overwrite it with placeholders', async () => {
    const job = await worker.ctx.queues.email.add(EMAIL_JOBS.send, failingEmail, { attempts: 1 });
    await waitForJob(worker.ctx.queues.email, job.id!, ['failed']);
    const edit = await worker.app.inject({
      method: 'PATCH',
      url: `/api/queues/email/${job.id}/update-data`,
      headers: { authorization: basic('ops', PASSWORD), 'content-type': 'application/json' },
      payload: JSON.stringify({ jobData: { to: '[redacted]' } }),
    });
    expect(edit.statusCode).toBe(403);
    expect((await worker.ctx.queues.email.getJob(job.id!))!.data).toEqual(failingEmail);
  });

  it('refuses state changes from another site even with credentials (CSRF)', async () => {
    const authorization = basic('ops', PASSWORD);
    for (const headers of [
      { authorization, 'sec-fetch-site': 'cross-site' },
      { authorization, origin: 'https://evil.example', host: 'worker.test' },
    ]) {
      const response = await worker.app.inject({ method: 'PUT', url: '/api/queues/pause', headers });
      expect(response.statusCode).toBe(403);
    }
    expect(await worker.ctx.queues.email.isPaused()).toBe(false);
  });

  it('keeps /metrics and the probes open for Prometheus and Kubernetes', async () => {
    for (const url of ['/metrics', '/healthz', '/readyz']) expect((await worker.app.inject(url)).statusCode, url).toBe(200);
  });
});

// In production the dashboard must never be open: without a password it does not exist at all.
describe('queue dashboard in production (NODE_ENV=production)', () => {
  describe('without WORKER_DASHBOARD_PASSWORD', () => {
    let worker: TestWorker;
    beforeAll(async () => {
      worker = await startTestWorker({ env: { NODE_ENV: 'production' } });
    });
    afterAll(() => worker.close());

    it('registers no dashboard route: the page, its assets and its API answer 404', async () => {
      for (const url of ['/', '/api/queues', '/api/queues?activeQueue=email&status=failed&page=1&jobsPerPage=10', '/static/favicon-32x32.png', '/queue/email']) {
        const response = await worker.app.inject(url);
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['www-authenticate'], url).toBeUndefined();
        expect(response.body, url).not.toContain('<div id="root">');
      }
      expect((await worker.app.inject({ method: 'PUT', url: '/api/queues/pause' })).statusCode).toBe(404);
      expect(await worker.ctx.queues.email.isPaused()).toBe(false);
    });

    it('says so in the log at start-up', () => {
      const line = worker.logs.find((l) => String(l.msg).startsWith('queue dashboard disabled'));
      expect(line).toMatchObject({ level: 'warn', msg: expect.stringContaining('WORKER_DASHBOARD_PASSWORD') });
    });

    it('still serves /healthz, /readyz and /metrics', async () => {
      for (const url of ['/healthz', '/readyz', '/metrics']) expect((await worker.app.inject(url)).statusCode, url).toBe(200);
    });
  });

  describe('with WORKER_DASHBOARD_PASSWORD', () => {
    let worker: TestWorker;
    beforeAll(async () => {
      worker = await startTestWorker({ env: { NODE_ENV: 'production', WORKER_DASHBOARD_PASSWORD: PASSWORD } });
    });
    afterAll(() => worker.close());

    it('answers 401 without credentials on the page and its API', async () => {
      for (const url of ['/', '/api/queues']) {
        const response = await worker.app.inject(url);
        expect(response.statusCode, url).toBe(401);
        expect(response.headers['www-authenticate'], url).toBe('Basic realm="Lanyard worker", charset="UTF-8"');
      }
    });

    it('serves the dashboard, with job actions, to the right credentials', async () => {
      const authorization = basic('admin', PASSWORD);
      const page = await worker.app.inject({ url: '/', headers: { authorization } });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('<div id="root">');
      const queues = await worker.app.inject({ url: '/api/queues', headers: { authorization } });
      expect(queues.statusCode).toBe(200);
      expect(queues.json().queues.map((q: { name: string; readOnlyMode: boolean }) => [q.name, q.readOnlyMode])).toEqual([
        ['email', false],
        ['maintenance', false],
      ]);
    });

    it('keeps /healthz, /readyz and /metrics open', async () => {
      for (const url of ['/healthz', '/readyz', '/metrics']) expect((await worker.app.inject(url)).statusCode, url).toBe(200);
    });
  });
});
