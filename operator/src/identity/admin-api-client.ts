import type { ClientResource, ClientSecretCreate, ClientSecretInfo, ClientSpec, IdentityProviderList, IdentityProviderResource, IdentityProviderSpec, TenantResource, TenantSpec } from '@lanyard/contracts';
import type { IdentityAccess } from '../reconcile/identity-access.js';
import type { AdminTokenSource } from './admin-token-source.js';
import { AdminApiError, IdentityServiceUnavailable, type ProblemDocument } from './identity-errors.js';

/** Options of {@link AdminApiClient}. */
export interface AdminApiClientOptions {
  readonly apiUrl: string;
  readonly tokens: AdminTokenSource;
  readonly timeoutMs: number;
  readonly fetch?: typeof fetch;
}

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE';

/**
 * The admin API over HTTP, like any other client (the operator never imports services:
 * docs/architecture.md "Dependency boundaries"; endpoints: docs/reference/admin-api.md). Reads
 * return `undefined` for 404 so "absent" is a normal observation; outages and 5xx become
 * {@link IdentityServiceUnavailable}; other refusals become {@link AdminApiError} with the RFC 9457
 * problem details.
 */
export class AdminApiClient implements IdentityAccess {
  readonly #options: AdminApiClientOptions;

  constructor(options: AdminApiClientOptions) {
    this.#options = options;
  }

  getTenant(tenant: string): Promise<TenantResource | undefined> {
    return this.#call<TenantResource>('GET', `/tenants/${tenant}`, undefined, true);
  }

  putTenant(tenant: string, spec: TenantSpec): Promise<TenantResource> {
    return this.#required(this.#call<TenantResource>('PUT', `/tenants/${tenant}`, spec));
  }

  /** True when the tenant existed. */
  async deleteTenant(tenant: string): Promise<boolean> {
    return (await this.#call<null>('DELETE', `/tenants/${tenant}`, undefined, true)) !== undefined;
  }

  getClient(tenant: string, clientId: string): Promise<ClientResource | undefined> {
    return this.#call<ClientResource>('GET', `/tenants/${tenant}/clients/${encodeURIComponent(clientId)}`, undefined, true);
  }

  putClient(tenant: string, clientId: string, spec: ClientSpec): Promise<ClientResource> {
    return this.#required(this.#call<ClientResource>('PUT', `/tenants/${tenant}/clients/${encodeURIComponent(clientId)}`, spec));
  }

  /** True when the client existed. */
  async deleteClient(tenant: string, clientId: string): Promise<boolean> {
    return (await this.#call<null>('DELETE', `/tenants/${tenant}/clients/${encodeURIComponent(clientId)}`, undefined, true)) !== undefined;
  }

  /** Registers a secret the caller generated; idempotent (the same secret returns the same id). */
  addClientSecret(tenant: string, clientId: string, body: ClientSecretCreate): Promise<ClientSecretInfo> {
    return this.#required(this.#call<ClientSecretInfo>('POST', `/tenants/${tenant}/clients/${encodeURIComponent(clientId)}/secrets`, body));
  }

  /** True when the secret existed. */
  async removeClientSecret(tenant: string, clientId: string, secretId: string): Promise<boolean> {
    const path = `/tenants/${tenant}/clients/${encodeURIComponent(clientId)}/secrets/${secretId}`;
    return (await this.#call<null>('DELETE', path, undefined, true)) !== undefined;
  }

  /** The tenant's identity providers; 404 (an identity service without them) is an empty list. */
  async listIdentityProviders(tenant: string): Promise<IdentityProviderResource[]> {
    return (await this.#call<IdentityProviderList>('GET', `/tenants/${tenant}/identity-providers`, undefined, true))?.items ?? [];
  }

  async putIdentityProvider(tenant: string, provider: string, spec: IdentityProviderSpec): Promise<{ resource: IdentityProviderResource; created: boolean }> {
    let status = 0;
    const resource = await this.#required(this.#call<IdentityProviderResource>('PUT', `/tenants/${tenant}/identity-providers/${provider}`, spec, false, false, (s) => (status = s)));
    return { resource, created: status === 201 };
  }

  /** True when the provider existed. */
  async deleteIdentityProvider(tenant: string, provider: string): Promise<boolean> {
    return (await this.#call<null>('DELETE', `/tenants/${tenant}/identity-providers/${provider}`, undefined, true)) !== undefined;
  }

  async #required<T>(result: Promise<T | undefined>): Promise<T> {
    const value = await result;
    if (value === undefined) throw new Error('unreachable: 404 is only tolerated for reads and deletes');
    return value;
  }

  async #call<T>(method: Method, path: string, body: unknown, notFoundIsUndefined = false, retried = false, onStatus?: (status: number) => void): Promise<T | undefined> {
    const { apiUrl, tokens, timeoutMs } = this.#options;
    const doFetch = this.#options.fetch ?? fetch;
    const token = await tokens.token();
    let response: Response;
    try {
      response = await doFetch(`${apiUrl}/admin/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json, application/problem+json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new IdentityServiceUnavailable(`${method} ${path}: ${(error as Error).message}`, { cause: error });
    }
    if (response.status === 401 && !retried) {
      // RFC 6750 §3.1 invalid_token: the cached token was revoked or expired early; get a new one once.
      await response.body?.cancel();
      tokens.invalidate();
      return this.#call<T>(method, path, body, notFoundIsUndefined, true, onStatus);
    }
    if (response.status === 404 && notFoundIsUndefined) {
      await response.body?.cancel();
      return undefined;
    }
    if (response.status >= 500 || response.status === 429) {
      await response.body?.cancel();
      throw new IdentityServiceUnavailable(`${method} ${path} answered ${response.status}`);
    }
    if (response.status >= 400) {
      const problem = (await response.json().catch(() => ({}))) as ProblemDocument;
      throw new AdminApiError(response.status, method, path, problem);
    }
    onStatus?.(response.status);
    if (response.status === 204) return null as T;
    return (await response.json()) as T;
  }
}
