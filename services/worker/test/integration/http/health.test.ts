import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestWorker, type TestWorker } from '../../support/test-worker.js';

describe('worker liveness and readiness', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startTestWorker();
  });
  afterAll(() => worker.close());

  it('is live and ready with PostgreSQL and Redis up', async () => {
    const live = await worker.app.inject('/healthz');
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await worker.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.headers['cache-control']).toBe('no-store');
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok', shutdown: 'ok' } });
  });

  it('is not ready while draining for shutdown', async () => {
    worker.ctx.lifecycle.shuttingDown = true;
    try {
      const ready = await worker.app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.shutdown).toBe('draining');
    } finally {
      worker.ctx.lifecycle.shuttingDown = false;
    }
  });
});

describe('worker readiness with Redis down', () => {
  let worker: TestWorker;
  beforeAll(async () => {
    worker = await startTestWorker();
    // The real client, really disconnected: commands fail the way they do when Redis is gone.
    worker.ctx.redis.disconnect();
  });
  afterAll(() => worker.close());

  it('answers 503 naming Redis, while liveness stays 200', async () => {
    const ready = await worker.app.inject('/readyz');
    expect(ready.statusCode).toBe(503);
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(ready.json()).toMatchObject({ status: 503, checks: { database: 'ok', redis: 'unavailable' } });
    expect((await worker.app.inject('/healthz')).statusCode).toBe(200);
  });

  it('still serves /metrics, without the queue counts it cannot read', async () => {
    const metrics = await worker.app.inject('/metrics');
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain('# TYPE identity_jobs_total counter');
    expect(metrics.body).not.toMatch(/^identity_queue_jobs\{/m);
    expect(worker.logs.some((l) => l.msg === 'queue counts unavailable' && l.queue === 'email')).toBe(true);
  });
});
