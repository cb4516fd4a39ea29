import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../support/test-api.js';

describe('health and readiness', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api.close());

  it('is live and ready with PostgreSQL and Redis up', async () => {
    expect((await api.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await api.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks).toEqual({ database: 'ok', redis: 'ok', shutdown: 'ok' });
  });

  it('is not ready while draining for shutdown', async () => {
    api.ctx.lifecycle.shuttingDown = true;
    try {
      const ready = await api.app.inject('/readyz');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.shutdown).toBe('draining');
    } finally {
      api.ctx.lifecycle.shuttingDown = false;
    }
  });

  it('serves /metrics only on the metrics listener, never on the public one (it names every tenant)', async () => {
    const publicListener = await api.app.inject('/metrics');
    expect(publicListener.statusCode).toBe(404);
    expect(publicListener.body).not.toContain('identity_');
    const metricsListener = await api.metricsApp.inject('/metrics');
    expect(metricsListener.statusCode).toBe(200);
    expect(metricsListener.headers['cache-control']).toBe('no-store');
    expect((await api.metricsApp.inject('/tenants/system/.well-known/openid-configuration')).statusCode).toBe(404);
  });

  it('exposes the contract metrics at /metrics', async () => {
    await api.app.inject('/healthz');
    const text = (await api.metricsApp.inject('/metrics')).body;
    for (const name of ['http_server_request_duration_seconds', 'identity_db_pool_connections', 'identity_db_pool_waiting_requests']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
    expect(text).toMatch(/http_server_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} \d+/);
  });
});

describe('readiness with Redis down', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    // The real client, really disconnected: commands fail the way they do when Redis is gone.
    api.ctx.redis.disconnect();
  });
  afterAll(() => api.close());

  it('stays ready but says degraded, naming Redis: every replica shares it, and tokens flow without it', async () => {
    const ready = await api.app.inject('/readyz');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'degraded', checks: { database: 'ok', redis: 'unavailable', shutdown: 'ok' } });
    expect((await api.app.inject('/healthz')).statusCode).toBe(200);
  });
});
