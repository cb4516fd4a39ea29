import type { ClientResource, ClientSecretCreate, ClientSecretInfo, ClientSpec, IdentityProviderResource, IdentityProviderSpec, TenantResource, TenantSpec } from '@lanyard/contracts';

/**
 * The admin API calls a reconcile makes. Reads return undefined for "absent"; outages throw
 * `IdentityServiceUnavailable`, refusals `AdminApiError`. `AdminApiClient`
 * (../identity/admin-api-client.ts) implements it over HTTP; unit tests use an in-memory fake.
 */
export interface IdentityAccess {
  getTenant(tenant: string): Promise<TenantResource | undefined>;
  putTenant(tenant: string, spec: TenantSpec): Promise<TenantResource>;
  /** True when the tenant existed. */
  deleteTenant(tenant: string): Promise<boolean>;
  getClient(tenant: string, clientId: string): Promise<ClientResource | undefined>;
  /** Declarative create-or-update; a `secret` in the spec is registered too (idempotent). */
  putClient(tenant: string, clientId: string, spec: ClientSpec): Promise<ClientResource>;
  /** True when the client existed. */
  deleteClient(tenant: string, clientId: string): Promise<boolean>;
  /** Registers a secret the caller generated and stored; idempotent (the same secret returns the same id). */
  addClientSecret(tenant: string, clientId: string, body: ClientSecretCreate): Promise<ClientSecretInfo>;
  /** True when the secret existed. */
  removeClientSecret(tenant: string, clientId: string, secretId: string): Promise<boolean>;
  /**
   * The tenant's upstream identity providers. An identity service that predates them (404 for the
   * list of an existing tenant) has none, so a tenant without providers still reconciles against it.
   */
  listIdentityProviders(tenant: string): Promise<IdentityProviderResource[]>;
  /** Declarative create-or-update; `clientSecret` is write-only, and absent keeps the stored one. `created`: 201. */
  putIdentityProvider(tenant: string, provider: string, spec: IdentityProviderSpec): Promise<{ resource: IdentityProviderResource; created: boolean }>;
  /** True when the provider existed. */
  deleteIdentityProvider(tenant: string, provider: string): Promise<boolean>;
}
