import { createHash } from 'node:crypto';
import type { ClientResource, ClientSecretCreate, ClientSecretInfo, ClientSpec, IdentityProviderResource, IdentityProviderSpec, TenantResource, TenantSpec } from '@lanyard/contracts';
import { AdminApiError } from '../../src/identity/identity-errors.js';
import type { IdentityAccess } from '../../src/reconcile/identity-access.js';
import type { FakeWrite, FakeWriteHook } from './fake-write.js';

/** The identity service allows this many active secrets per client (rotation), as the real one. */
const MAX_ACTIVE_SECRETS = 2;

interface StoredClient {
  resource: ClientResource;
  /** Registered values by secret id. The real service keeps only a keyed hash; the fake keeps values so tests can ask "is this one registered?". */
  readonly values: Map<string, string>;
}

/** Options of {@link InMemoryIdentity}. */
export interface InMemoryIdentityOptions {
  /** The identity service's clock (registration `createdAt`); it may differ from the operator's. */
  readonly now?: () => Date;
  readonly onWrite?: FakeWriteHook;
  /** PUBLIC_URL of the service. @default https://id.example.test */
  readonly publicUrl?: string;
}

/**
 * An in-memory admin API for unit tests, with the behaviour the operator relies on: declarative
 * PUTs, an immutable client type (409), idempotent secret registration (the same value returns the
 * same id), at most two active secrets (409 for a third), undefined for absent reads, booleans for
 * deletes. Identity providers as the admin API serves them: a declarative PUT (201 when new, 200
 * otherwise) whose write-only `clientSecret`, when absent, keeps the stored one; the resource shows
 * only `clientSecretFingerprint` (SHA-256, first 16 hex digits, or null), 404 for an absent tenant.
 */
export class InMemoryIdentity implements IdentityAccess {
  readonly #tenants = new Map<string, TenantResource>();
  readonly #clients = new Map<string, StoredClient>();
  /** Identity providers by `tenant/name`, with the stored secret (the real service keeps it encrypted). */
  readonly #providers = new Map<string, { resource: IdentityProviderResource; secret: string | null }>();
  readonly #now: () => Date;
  readonly #onWrite: FakeWriteHook | undefined;
  readonly #publicUrl: string;
  #ids = 0;
  /** Every mutating call, in order (`addClientSecret acme/acme-billing`, …). */
  readonly writes: string[] = [];

  constructor(options: InMemoryIdentityOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#onWrite = options.onWrite;
    this.#publicUrl = options.publicUrl ?? 'https://id.example.test';
  }

  /** Stores a client as someone else would (no hook), with secrets registered at the given times. */
  seedClient(tenant: string, clientId: string, spec: ClientSpec, secrets: ReadonlyArray<{ value: string; createdAt: Date; expiresAt?: Date | null }> = []): ClientResource {
    const stored = this.#upsert(tenant, clientId, { ...spec, secret: undefined });
    for (const s of secrets) {
      const info = { id: this.#nextId(), createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt?.toISOString() ?? null };
      stored.resource = { ...stored.resource, secrets: [...stored.resource.secrets, info] };
      stored.values.set(info.id, s.value);
    }
    return structuredClone(stored.resource);
  }

  /** Values currently registered for a client, for invariant checks. */
  registeredValues(tenant: string, clientId: string): string[] {
    const stored = this.#clients.get(`${tenant}/${clientId}`);
    return stored === undefined ? [] : stored.resource.secrets.map((s) => stored.values.get(s.id)!);
  }

  /** The stored client, without going through the operator's interface (no hook). */
  peekClient(tenant: string, clientId: string): ClientResource | undefined {
    const found = this.#clients.get(`${tenant}/${clientId}`);
    return found === undefined ? undefined : structuredClone(found.resource);
  }

  /** The registration id of a value, if it is registered. */
  idOf(tenant: string, clientId: string, value: string): string | undefined {
    const stored = this.#clients.get(`${tenant}/${clientId}`);
    return [...(stored?.values.entries() ?? [])].find(([, v]) => v === value)?.[0];
  }

  async getTenant(tenant: string): Promise<TenantResource | undefined> {
    const found = this.#tenants.get(tenant);
    return found === undefined ? undefined : structuredClone(found);
  }

  async putTenant(tenant: string, spec: TenantSpec): Promise<TenantResource> {
    return this.#write('putTenant', tenant, () => {
      const at = this.#now().toISOString();
      const existing = this.#tenants.get(tenant);
      const resource: TenantResource = {
        name: tenant,
        displayName: spec.displayName,
        managedBy: spec.managedBy ?? null,
        rateLimits: { ...(spec.rateLimits ?? {}) },
        // As the real service: stored as sent, no defaults filled in; a PUT without it clears it.
        accounts: { ...(spec.accounts ?? {}) },
        mfa: { ...(spec.mfa ?? {}) },
        issuer: `${this.#publicUrl}/tenants/${tenant}`,
        createdAt: existing?.createdAt ?? at,
        updatedAt: at,
      };
      this.#tenants.set(tenant, resource);
      return structuredClone(resource);
    });
  }

  async deleteTenant(tenant: string): Promise<boolean> {
    return this.#write('deleteTenant', tenant, () => {
      for (const key of [...this.#clients.keys()]) if (key.startsWith(`${tenant}/`)) this.#clients.delete(key);
      for (const key of [...this.#providers.keys()]) if (key.startsWith(`${tenant}/`)) this.#providers.delete(key);
      return this.#tenants.delete(tenant);
    });
  }

  async getClient(tenant: string, clientId: string): Promise<ClientResource | undefined> {
    const found = this.#clients.get(`${tenant}/${clientId}`);
    return found === undefined ? undefined : structuredClone(found.resource);
  }

  async putClient(tenant: string, clientId: string, spec: ClientSpec): Promise<ClientResource> {
    return this.#write('putClient', `${tenant}/${clientId}`, () => {
      const path = `/tenants/${tenant}/clients/${clientId}`;
      const existing = this.#clients.get(`${tenant}/${clientId}`);
      if (existing !== undefined && existing.resource.type !== spec.type) throw new AdminApiError(409, 'PUT', path, { detail: 'The client type cannot be changed.' });
      if (spec.type === 'public' && spec.secret !== undefined) throw new AdminApiError(409, 'PUT', path, { detail: 'Public clients have no secrets.' });
      const stored = this.#upsert(tenant, clientId, spec);
      if (spec.secret !== undefined) this.#ensureSecret(stored, spec.secret, path);
      return structuredClone(stored.resource);
    });
  }

  async deleteClient(tenant: string, clientId: string): Promise<boolean> {
    return this.#write('deleteClient', `${tenant}/${clientId}`, () => this.#clients.delete(`${tenant}/${clientId}`));
  }

  async addClientSecret(tenant: string, clientId: string, body: ClientSecretCreate): Promise<ClientSecretInfo> {
    return this.#write('addClientSecret', `${tenant}/${clientId}`, () => {
      const path = `/tenants/${tenant}/clients/${clientId}/secrets`;
      const stored = this.#clients.get(`${tenant}/${clientId}`);
      if (stored === undefined) throw new AdminApiError(404, 'POST', path, { detail: `Client "${clientId}" does not exist.` });
      if (stored.resource.type !== 'confidential') throw new AdminApiError(409, 'POST', path, { detail: 'Public clients have no secrets.' });
      return structuredClone(this.#ensureSecret(stored, body.secret, path));
    });
  }

  async removeClientSecret(tenant: string, clientId: string, secretId: string): Promise<boolean> {
    return this.#write('removeClientSecret', `${tenant}/${clientId}`, () => {
      const stored = this.#clients.get(`${tenant}/${clientId}`);
      if (stored === undefined || !stored.values.has(secretId)) return false;
      stored.values.delete(secretId);
      stored.resource = { ...stored.resource, secrets: stored.resource.secrets.filter((s) => s.id !== secretId) };
      return true;
    });
  }

  /** The stored provider's client secret, without going through the operator's interface. */
  peekProviderSecret(tenant: string, provider: string): string | null | undefined {
    return this.#providers.get(`${tenant}/${provider}`)?.secret;
  }

  /** Stores a provider as someone else would (no hook), e.g. one made by hand. */
  seedIdentityProvider(tenant: string, provider: string, spec: IdentityProviderSpec): IdentityProviderResource {
    return structuredClone(this.#upsertProvider(tenant, provider, spec).resource);
  }

  async listIdentityProviders(tenant: string): Promise<IdentityProviderResource[]> {
    if (!this.#tenants.has(tenant)) return [];
    return [...this.#providers.values()].filter((p) => p.resource.tenant === tenant).map((p) => structuredClone(p.resource)).sort((a, b) => a.name.localeCompare(b.name));
  }

  async putIdentityProvider(tenant: string, provider: string, spec: IdentityProviderSpec): Promise<{ resource: IdentityProviderResource; created: boolean }> {
    return this.#write('putIdentityProvider', `${tenant}/${provider}`, () => {
      if (!this.#tenants.has(tenant)) throw new AdminApiError(404, 'PUT', `/tenants/${tenant}/identity-providers/${provider}`, { detail: `Tenant "${tenant}" does not exist.` });
      const created = !this.#providers.has(`${tenant}/${provider}`);
      return { resource: structuredClone(this.#upsertProvider(tenant, provider, spec).resource), created };
    });
  }

  async deleteIdentityProvider(tenant: string, provider: string): Promise<boolean> {
    // 404 for an absent provider: the admin client reports that as false.
    return this.#write('deleteIdentityProvider', `${tenant}/${provider}`, () => this.#providers.delete(`${tenant}/${provider}`));
  }

  #upsertProvider(tenant: string, provider: string, spec: IdentityProviderSpec): { resource: IdentityProviderResource; secret: string | null } {
    const at = this.#now().toISOString();
    const existing = this.#providers.get(`${tenant}/${provider}`);
    const secret = spec.clientSecret ?? existing?.secret ?? null;
    const stored = {
      secret,
      resource: {
        tenant,
        name: provider,
        displayName: spec.displayName,
        issuer: spec.issuer,
        clientId: spec.clientId,
        clientSecretFingerprint: secret === null ? null : createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16),
        // As the schema's defaults fill them in: absent scopes are stored as [], absent claims as {}.
        scopes: [...(spec.scopes ?? [])],
        claims: { ...(spec.claims ?? {}) },
        linking: spec.linking,
        disabled: spec.disabled ?? false,
        callbackUrl: `${this.#publicUrl}/tenants/${tenant}/federation/${provider}/callback`,
        createdAt: existing?.resource.createdAt ?? at,
        updatedAt: at,
      },
    };
    this.#providers.set(`${tenant}/${provider}`, stored);
    return stored;
  }

  #upsert(tenant: string, clientId: string, spec: ClientSpec): StoredClient {
    const at = this.#now().toISOString();
    const existing = this.#clients.get(`${tenant}/${clientId}`);
    const resource: ClientResource = {
      tenant,
      clientId,
      type: spec.type,
      displayName: spec.displayName ?? null,
      grantTypes: [...spec.grantTypes],
      redirectUris: [...spec.redirectUris],
      postLogoutRedirectUris: [...spec.postLogoutRedirectUris],
      allowedCorsOrigins: [...spec.allowedCorsOrigins],
      scopes: [...spec.scopes],
      audience: [...spec.audience],
      tokenLifetimes: { ...(spec.tokenLifetimes ?? {}) },
      firstParty: spec.firstParty ?? false,
      disabled: spec.disabled ?? false,
      tokenEndpointAuthMethod: spec.tokenEndpointAuthMethod ?? (spec.type === 'public' ? 'none' : 'client_secret_basic'),
      pkce: spec.pkce ?? 'required',
      idTokenSignedResponseAlg: spec.idTokenSignedResponseAlg ?? 'ES256',
      accessTokenSigningAlg: spec.accessTokenSigningAlg ?? 'ES256',
      idTokenScopeClaims: spec.idTokenScopeClaims ?? false,
      requireMfa: spec.requireMfa ?? false,
      secrets: existing?.resource.secrets ?? [],
      createdAt: existing?.resource.createdAt ?? at,
      updatedAt: at,
    };
    const stored = existing ?? { resource, values: new Map<string, string>() };
    stored.resource = resource;
    this.#clients.set(`${tenant}/${clientId}`, stored);
    return stored;
  }

  #ensureSecret(stored: StoredClient, value: string, path: string): ClientSecretInfo {
    const sameId = [...stored.values.entries()].find(([, v]) => v === value)?.[0];
    const same = stored.resource.secrets.find((s) => s.id === sameId);
    if (same !== undefined) return same;
    const now = this.#now();
    const active = stored.resource.secrets.filter((s) => s.expiresAt === null || new Date(s.expiresAt) > now);
    if (active.length >= MAX_ACTIVE_SECRETS) throw new AdminApiError(409, 'POST', path, { detail: `A client may have at most ${MAX_ACTIVE_SECRETS} active secrets; delete one first.` });
    const info: ClientSecretInfo = { id: this.#nextId(), createdAt: now.toISOString(), expiresAt: null };
    stored.values.set(info.id, value);
    stored.resource = { ...stored.resource, secrets: [...stored.resource.secrets, info] };
    return info;
  }

  #nextId(): string {
    this.#ids += 1;
    return `00000000-0000-4000-8000-${String(this.#ids).padStart(12, '0')}`;
  }

  async #write<T>(method: string, target: string, effect: () => T): Promise<T> {
    const write: FakeWrite = { system: 'identity', method, target };
    this.#onWrite?.(write, 'before');
    const result = effect();
    this.writes.push(`${method} ${target}`);
    this.#onWrite?.(write, 'after');
    return result;
  }
}
