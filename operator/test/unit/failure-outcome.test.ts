import { ApiException } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { AdminApiError, IdentityServiceUnavailable } from '../../src/identity/identity-errors.js';
import { failureOutcome } from '../../src/reconcile/report-failure.js';

describe('failureOutcome (what the queue boundary writes into the conditions)', () => {
  it('an outage: TenantReady and Ready False with reason IdentityServiceUnavailable', () => {
    expect(failureOutcome(new IdentityServiceUnavailable('GET /tenants/a: fetch failed'))).toMatchObject({ part: 'TenantReady', outcome: { status: 'False', reason: 'IdentityServiceUnavailable' } });
  });
  it('a refusal by the admin API, a Kubernetes API error, anything else', () => {
    expect(failureOutcome(new AdminApiError(400, 'PUT', '/x', { detail: 'bad' }))).toMatchObject({ part: 'ClientsReady', outcome: { reason: 'IdentityServiceRejected' } });
    expect(failureOutcome(new ApiException(403, 'forbidden', 'nope', {}))).toMatchObject({ outcome: { reason: 'KubernetesApiError' } });
    expect(failureOutcome(new Error('boom'))).toEqual({ outcome: { status: 'False', reason: 'ReconcileError', message: 'boom' } });
  });
});
