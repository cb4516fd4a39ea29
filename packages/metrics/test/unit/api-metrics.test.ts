import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AUTH_EVENT_REASONS, AUTH_FAILURE_REASONS, MFA_FACTORS_USED, RATE_LIMITERS, Registry, createApiMetrics, createWorkerMetrics, initialiseAuthSeries, initialiseJobSeries } from '../../src/index.js';

const pool = () => ({ active: 2, idle: 3, waiting: 1 });

/** Exposition lines of one metric family (without the HELP and TYPE comments). */
async function lines(registry: Registry, metric: string): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((line) => line.startsWith(metric));
}

describe('createApiMetrics', () => {
  it('exports the pool maximum next to the pool connections when it is given', async () => {
    const registry = new Registry();
    createApiMetrics(registry, pool, { poolMax: 10 });
    expect(await lines(registry, 'identity_db_pool_max')).toEqual(['identity_db_pool_max 10']);
    expect(await lines(registry, 'identity_db_pool_connections')).toEqual(['identity_db_pool_connections{state="active"} 2', 'identity_db_pool_connections{state="idle"} 3']);
    expect(await lines(registry, 'identity_db_pool_waiting_requests')).toEqual(['identity_db_pool_waiting_requests 1']);
    expect(await lines(registry, 'identity_rate_limiter_degraded')).toEqual(['identity_rate_limiter_degraded 0']);
  });

  it('keeps the tenant on token latency by default', async () => {
    const registry = new Registry();
    const metrics = createApiMetrics(registry, pool, { poolMax: 10 });
    metrics.tokenDuration.observe({ tenant: 'acme', grant_type: 'client_credentials' }, 0.004);
    expect(await lines(registry, 'identity_token_duration_seconds_count')).toEqual(['identity_token_duration_seconds_count{tenant="acme",grant_type="client_credentials"} 1']);
  });

  it('with tenantHistograms: false records latency with tenant="" and keeps the tenant on counters', async () => {
    const registry = new Registry();
    const metrics = createApiMetrics(registry, pool, { poolMax: 10, tenantHistograms: false });
    metrics.tokenDuration.observe({ tenant: 'acme', grant_type: 'refresh_token' }, 0.004);
    metrics.tokenDuration.observe({ tenant: 'beta', grant_type: 'refresh_token' }, 0.02);
    metrics.tokenDuration.startTimer({ tenant: 'beta', grant_type: 'client_credentials' })();
    metrics.authEvents.inc({ tenant: 'acme', event: 'refresh', result: 'success', reason: '' });
    const exposition = await registry.metrics();
    expect(await lines(registry, 'identity_token_duration_seconds_count')).toEqual([
      'identity_token_duration_seconds_count{tenant="",grant_type="refresh_token"} 2',
      'identity_token_duration_seconds_count{tenant="",grant_type="client_credentials"} 1',
    ]);
    expect(exposition).not.toMatch(/identity_token_duration_seconds_bucket\{[^}]*tenant="(acme|beta)"/);
    expect(exposition).toContain('identity_auth_events_total{tenant="acme",event="refresh",result="success",reason=""} 1');
  });
});

describe('initialiseAuthSeries', () => {
  it('creates every emitted event × its failure reasons of a tenant at 0, plus success and every limiter', async () => {
    const registry = new Registry();
    const metrics = createApiMetrics(registry, pool);
    initialiseAuthSeries(metrics, 'acme');
    const auth = await lines(registry, 'identity_auth_events_total');
    // One success series per event, but `mfa` has one per factor used (its reason names the factor).
    expect(auth).toHaveLength(Object.values(AUTH_EVENT_REASONS).reduce((n, reasons) => n + reasons.length + 1, 0) - 1 + MFA_FACTORS_USED.length);
    expect(auth).toHaveLength(95);
    expect(auth).toContain('identity_auth_events_total{tenant="acme",event="mfa",result="success",reason="otp"} 0');
    expect(auth).toContain('identity_auth_events_total{tenant="acme",event="mfa",result="failure",reason="otp_replayed"} 0');
    expect(auth.every((line) => line.endsWith(' 0') && line.includes('tenant="acme"'))).toBe(true);
    expect(auth).toContain('identity_auth_events_total{tenant="acme",event="login",result="failure",reason="invalid_credentials"} 0');
    expect(auth).toContain('identity_auth_events_total{tenant="acme",event="refresh",result="failure",reason="token_reuse"} 0');
    expect(auth).toContain('identity_auth_events_total{tenant="acme",event="token",result="success",reason=""} 0');
    expect(auth).toContain('identity_auth_events_total{tenant="acme",event="signup",result="failure",reason="weak_password"} 0');
    expect(auth).toContain('identity_auth_events_total{tenant="acme",event="password_reset",result="failure",reason="link_expired"} 0');
    expect(auth).toContain('identity_auth_events_total{tenant="acme",event="federation",result="failure",reason="state_invalid"} 0');
    // Every reason is initialised for at least one event.
    expect(new Set(Object.values(AUTH_EVENT_REASONS).flat())).toEqual(new Set(AUTH_FAILURE_REASONS));
    expect(await lines(registry, 'identity_rate_limited_requests_total')).toEqual(RATE_LIMITERS.map((limiter) => `identity_rate_limited_requests_total{tenant="acme",limiter="${limiter}"} 0`));
  });

  it('leaves counts already recorded untouched when called again', async () => {
    const registry = new Registry();
    const metrics = createApiMetrics(registry, pool);
    metrics.authEvents.inc({ tenant: 'acme', event: 'login', result: 'failure', reason: 'invalid_credentials' });
    initialiseAuthSeries(metrics, 'acme');
    initialiseAuthSeries(metrics, 'acme');
    expect(await lines(registry, 'identity_auth_events_total{tenant="acme",event="login",result="failure",reason="invalid_credentials"}')).toEqual([
      'identity_auth_events_total{tenant="acme",event="login",result="failure",reason="invalid_credentials"} 1',
    ]);
  });

  it('initialises exactly the limiters the API enforces (the policy names of rate-limit-policies.ts)', () => {
    const source = readFileSync(fileURLToPath(new URL('../../../../services/api/src/domain/rate-limit/rate-limit-policies.ts', import.meta.url)), 'utf8');
    const names = [...source.matchAll(/\bname: '([a-z-]+)'/g)].map((m) => m[1]);
    expect([...RATE_LIMITERS].sort()).toEqual(names.sort());
  });

  it('initialises exactly the closed set of reasons the API defines (services/api/src/domain/audit/auth-failure-reason.ts)', () => {
    const source = readFileSync(fileURLToPath(new URL('../../../../services/api/src/domain/audit/auth-failure-reason.ts', import.meta.url)), 'utf8');
    const union = source.slice(source.indexOf('export type AuthFailureReason'));
    const reasons = [...union.slice(0, union.indexOf(';')).matchAll(/'([a-z_]+)'/g)].map((m) => m[1]);
    expect([...AUTH_FAILURE_REASONS].sort()).toEqual(reasons.sort());
  });
});

describe('initialiseJobSeries', () => {
  it('creates success, retry and failure at 0 for each job name of a queue', async () => {
    const registry = new Registry();
    const metrics = createWorkerMetrics(registry, async () => []);
    initialiseJobSeries(metrics, 'maintenance', ['cleanup', 'rotate-keys']);
    expect(await lines(registry, 'identity_jobs_total')).toEqual([
      'identity_jobs_total{queue="maintenance",name="cleanup",result="success"} 0',
      'identity_jobs_total{queue="maintenance",name="cleanup",result="retry"} 0',
      'identity_jobs_total{queue="maintenance",name="cleanup",result="failure"} 0',
      'identity_jobs_total{queue="maintenance",name="rotate-keys",result="success"} 0',
      'identity_jobs_total{queue="maintenance",name="rotate-keys",result="retry"} 0',
      'identity_jobs_total{queue="maintenance",name="rotate-keys",result="failure"} 0',
    ]);
  });
});
