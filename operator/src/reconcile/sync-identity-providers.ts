import type { IdentityProviderResource } from '@lanyard/contracts';
import type { IdentityTenant, IdentityTenantIdentityProvider } from '@lanyard/crd';
import { desiredIdentityProviderSpec } from '../generators/desired-identity-provider-spec.js';
import { identityProviderDrift } from '../generators/identity-provider-drift.js';
import { readProviderSecret } from '../generators/read-provider-secret.js';
import { providerSecretFingerprint } from '../generators/secret-fingerprint.js';
import { staleIdentityProviders } from '../generators/stale-identity-providers.js';
import type { PartOutcome } from '../generators/tenant-conditions.js';
import { AdminApiError } from '../identity/identity-errors.js';
import type { ReconcileContext } from './reconcile-context.js';

/** Why one provider is not as declared. */
interface ProviderProblem {
  readonly reason: string;
  readonly message: string;
}

/**
 * The tenant's upstream identity providers (`spec.identityProviders`), one declarative PUT each,
 * only when something differs: the referenced Secret key is read from `spec.namespace` and its
 * value is sent (write-only) only when the provider is new or the stored fingerprint is not that
 * value's, so an unchanged Secret makes no write and a rotated one updates the provider. A provider
 * whose Secret or key is missing is left as it is (neither written nor deleted) and the part is
 * False with `SecretNotFound`; the other providers still converge. Providers the identity service
 * has and the spec no longer declares are deleted. A refusal of the admin API is this part's
 * `IdentityServiceRejected`; an outage propagates, as everywhere.
 */
export async function syncIdentityProviders(ctx: ReconcileContext, tenant: IdentityTenant): Promise<PartOutcome> {
  const name = tenant.metadata.name;
  const declared = tenant.spec.identityProviders ?? [];
  const problems: ProviderProblem[] = [];
  let actual: IdentityProviderResource[];
  try {
    actual = await ctx.identity.listIdentityProviders(name);
  } catch (error) {
    if (error instanceof AdminApiError) return { status: 'False', reason: 'IdentityServiceRejected', message: error.message };
    throw error;
  }
  const byName = new Map(actual.map((p) => [p.name, p]));

  for (const provider of declared) {
    const problem = await syncOne(ctx, tenant, provider, byName.get(provider.name));
    if (problem !== undefined) problems.push(problem);
  }
  for (const stale of staleIdentityProviders(actual, declared)) {
    try {
      if (await ctx.identity.deleteIdentityProvider(name, stale)) ctx.log.info({ tenant: name, provider: stale }, 'deleted removed identity provider');
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      problems.push({ reason: 'IdentityServiceRejected', message: error.message });
    }
  }

  if (problems.length > 0) return { status: 'False', reason: problems[0]!.reason, message: problems.map((p) => p.message).join(' ') };
  if (declared.length === 0) return { status: 'True', reason: 'Synced', message: 'No identity providers are declared.' };
  return { status: 'True', reason: 'Synced', message: `Every identity provider (${declared.length}) is registered as declared.` };
}

async function syncOne(ctx: ReconcileContext, tenant: IdentityTenant, provider: IdentityTenantIdentityProvider, actual: IdentityProviderResource | undefined): Promise<ProviderProblem | undefined> {
  const tenantName = tenant.metadata.name;
  const namespace = tenant.spec.namespace;
  const secret = readProviderSecret(await ctx.kube.getSecret(namespace, provider.clientSecretRef.name), namespace, provider.clientSecretRef, provider.name);
  if (!secret.ok) return { reason: secret.reason, message: secret.message };

  const desired = desiredIdentityProviderSpec(provider);
  const drift = actual === undefined ? ['(absent)'] : identityProviderDrift(actual, desired, providerSecretFingerprint(secret.value));
  if (drift.length === 0) return undefined;
  const sendSecret = actual === undefined || drift.includes('clientSecret');
  try {
    const { created } = await ctx.identity.putIdentityProvider(tenantName, provider.name, sendSecret ? { ...desired, clientSecret: secret.value } : desired);
    // The drift names fields, never values: the secret is not logged.
    ctx.log.info({ tenant: tenantName, provider: provider.name, created, drift, secretSent: sendSecret }, 'applying identity provider');
    return undefined;
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    return { reason: 'IdentityServiceRejected', message: `Identity provider "${provider.name}": ${error.message}` };
  }
}
