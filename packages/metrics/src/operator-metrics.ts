import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** The operator's metrics (docs/reference/metrics.md). */
export function createOperatorMetrics(registry: Registry, tenantsByReadiness: () => { ready: number; notReady: number }) {
  const reconciles = new Counter({
    name: 'identity_operator_reconcile_total',
    help: 'Reconciles by result.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const reconcileDuration = new Histogram({
    name: 'identity_operator_reconcile_duration_seconds',
    help: 'Time per reconcile.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  new Gauge({
    name: 'identity_operator_tenants',
    help: 'IdentityTenants by readiness.',
    labelNames: ['ready'] as const,
    registers: [registry],
    collect() {
      const counts = tenantsByReadiness();
      this.set({ ready: 'true' }, counts.ready);
      this.set({ ready: 'false' }, counts.notReady);
    },
  });
  return { reconciles, reconcileDuration };
}

export type OperatorMetrics = ReturnType<typeof createOperatorMetrics>;
