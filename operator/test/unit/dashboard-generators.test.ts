import { describe, expect, it } from 'vitest';
import { dashboardConfigMapManifest, dashboardDataKey } from '../../src/generators/dashboard-config-map-manifest.js';
import { tenantDashboard } from '../../src/generators/tenant-dashboard.js';

/** Metric names of the contract (docs/reference/metrics.md) the per-tenant dashboard may use. */
const CONTRACT_METRICS = ['identity_auth_events_total', 'identity_token_duration_seconds_bucket', 'identity_rate_limited_requests_total'];
const exprs = (dashboard: ReturnType<typeof tenantDashboard>) =>
  (dashboard.panels as Array<{ targets: Array<{ expr: string }> }>).flatMap((p) => p.targets.map((t) => t.expr));

describe('per-tenant Grafana dashboard', () => {
  it('filters every query to the tenant and uses only contract metric names', () => {
    const all = exprs(tenantDashboard('acme'));
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const expr of all) {
      expect(expr).toContain('tenant="acme"');
      const metrics = [...expr.matchAll(/([a-z_]+)\{/g)].map((m) => m[1]);
      for (const metric of metrics) expect(CONTRACT_METRICS).toContain(metric);
    }
    expect(all.some((e) => e.includes('grant_type="refresh_token"'))).toBe(true);
  });

  it('has a stable uid of at most 40 characters, even for a 63-character tenant name', () => {
    expect(tenantDashboard('acme').uid).toBe('lanyard-acme');
    const long = 'a'.repeat(63);
    expect(tenantDashboard(long).uid.length).toBeLessThanOrEqual(40);
    expect(tenantDashboard(long).uid).toBe(tenantDashboard(long).uid);
    expect(tenantDashboard(long).uid).not.toBe(tenantDashboard(`${'a'.repeat(62)}b`).uid);
  });

  it('is delivered as a ConfigMap the Grafana sidecar picks up', () => {
    const owner = { apiVersion: 'lanyard.dev/v1alpha1', kind: 'IdentityTenant', name: 'acme', uid: 'u', controller: true };
    const configMap = dashboardConfigMapManifest('acme', 'monitoring', owner);
    expect(configMap.metadata).toMatchObject({
      name: 'lanyard-tenant-acme-dashboard',
      namespace: 'monitoring',
      labels: { grafana_dashboard: '1', 'app.kubernetes.io/managed-by': 'lanyard-operator', 'lanyard.dev/tenant': 'acme' },
      annotations: { grafana_folder: 'Lanyard tenants' },
      ownerReferences: [owner],
    });
    expect(JSON.parse(configMap.data![dashboardDataKey('acme')]!)).toEqual(tenantDashboard('acme'));
  });
});
