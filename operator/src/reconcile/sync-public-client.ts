import type { IdentityTenant, IdentityTenantClient } from '@lanyard/crd';
import { clientDrift } from '../generators/client-drift.js';
import { desiredClientSpec } from '../generators/desired-client-spec.js';
import { effectiveClientId } from '../generators/effective-client-id.js';
import type { ClientOutcome } from './client-outcome.js';
import type { ReconcileContext } from './reconcile-context.js';

/** A public client: registered as declared, nothing stored in Kubernetes (it has no credentials). */
export async function syncPublicClient(ctx: ReconcileContext, tenant: IdentityTenant, client: IdentityTenantClient): Promise<ClientOutcome> {
  const name = tenant.metadata.name;
  const clientId = effectiveClientId(name, client);
  const desired = desiredClientSpec(client);
  let actual = await ctx.identity.getClient(name, clientId);
  if (actual !== undefined && actual.type !== desired.type) {
    // The type is immutable in the API (409); a client recreated by hand with the other type is drift.
    await ctx.identity.deleteClient(name, clientId);
    actual = undefined;
  }
  const drift = actual === undefined ? ['(absent)'] : clientDrift(actual, desired);
  if (drift.length > 0) {
    ctx.log.info({ tenant: name, clientId, drift }, 'applying client');
    await ctx.identity.putClient(name, clientId, desired);
  }
  return { status: { name: client.name, clientId, ready: true } };
}
