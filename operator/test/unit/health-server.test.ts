import { describe, expect, it } from 'vitest';
import { createOperatorMetrics, Registry } from '@lanyard/metrics';
import { buildHealthServer } from '../../src/http/health-server.js';

describe('operator probes and metrics', () => {
  it('serves /healthz always, /readyz once the watches synced, /metrics with the contract metrics', async () => {
    const registry = new Registry();
    const metrics = createOperatorMetrics(registry, () => ({ ready: 2, notReady: 1 }));
    metrics.reconciles.inc({ result: 'success' });
    const source = { ready: false };
    const app = buildHealthServer(registry, source);
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    expect((await app.inject('/readyz')).statusCode).toBe(503);
    source.ready = true;
    expect((await app.inject('/readyz')).statusCode).toBe(200);
    const body = (await app.inject('/metrics')).body;
    expect(body).toContain('identity_operator_reconcile_total{result="success"} 1');
    expect(body).toContain('identity_operator_tenants{ready="true"} 2');
    expect(body).toContain('identity_operator_reconcile_duration_seconds_bucket');
    await app.close();
  });
});
