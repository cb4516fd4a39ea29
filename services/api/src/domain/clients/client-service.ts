import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { clients, clientSecrets, type Client, type ClientSecret, type Database, type Executor, type Tenant, isDatabaseUnavailable } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { ConflictProblem, NotFoundProblem, ValidationProblem } from '@lanyard/errors';
import { randomToken, type SecretHasher } from '@lanyard/security';
import type { ClientSecretCreate, ClientSpec } from '@lanyard/contracts';
import { LoadThrough } from '../../infra/load-through.js';
import { TtlCache } from '../../infra/ttl-cache.js';
import { STALE_IF_UNAVAILABLE_MS } from '../../infra/stale-if-unavailable.js';
import { retryOnCreateRace } from '../retry-on-create-race.js';
import type { InvalidationBus } from '../../infra/invalidation-bus.js';
import { keysetCursor, type KeysetPage } from '../paging/keyset-cursor.js';
import { validateClientSpec } from './validate-client-spec.js';
import { isUuid } from '../uuid.js';

/** A client as the OAuth endpoints see it: its registration plus its secret hashes. */
export interface RegisteredClient extends Client {
  readonly secrets: readonly ClientSecret[];
}

/** What OAuth endpoints need of clients: look one up. */
export type ClientLookup = Pick<ClientService, 'find'>;

/** During rotation two secrets may be valid at once (docs/reference/admin-api.md), never more. */
export const MAX_ACTIVE_SECRETS = 2;

const SEPARATOR = '\u0000';

/** The admin API's client id alphabet (`ClientIdString`); anything else cannot name a client. */
const CLIENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * User subjects are UUIDs; a client's `client_credentials` tokens carry its client id as `sub`
 * (RFC 9068 §2.2). Refusing UUID-shaped client ids keeps the two namespaces apart, so a resource
 * server can never mistake a client for a user (RFC 9068 §5).
 */
const clientKey = (tenantId: string, clientId: string) => `${tenantId}${SEPARATOR}${clientId}`;
const ofTenant = (tenantId: string) => (key: string) => key.startsWith(`${tenantId}${SEPARATOR}`);

/**
 * OAuth client registrations. Lookups are cached (with secrets), so `client_credentials` needs no
 * database round trip on the hot path; so is each tenant's set of allowed CORS origins. Every write
 * invalidates exactly the entries it affects, on every replica.
 */
export class ClientService {
  readonly #clients: LoadThrough<string, RegisteredClient | null>;
  /** Per tenant, the union of its clients' `allowedCorsOrigins`: one entry per tenant, however many origins are probed. */
  readonly #origins: LoadThrough<string, ReadonlySet<string>>;

  constructor(
    private readonly db: Database,
    private readonly bus: InvalidationBus,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
  ) {
    this.#clients = new LoadThrough(
      new TtlCache(30_000, 50_000, clock, STALE_IF_UNAVAILABLE_MS),
      async (key) => {
        const [tenantId, clientId] = key.split(SEPARATOR) as [string, string];
        return this.#load(tenantId, clientId);
      },
      isDatabaseUnavailable,
    );
    this.#origins = new LoadThrough(new TtlCache(30_000, 10_000, clock, STALE_IF_UNAVAILABLE_MS), (tenantId) => this.#loadOrigins(tenantId), isDatabaseUnavailable);
    bus.on((m) => {
      if (m.kind === 'client') {
        this.#clients.invalidate(clientKey(m.tenantId, m.clientId));
        this.#origins.invalidate(m.tenantId);
      }
      if (m.kind === 'tenant') {
        this.#clients.invalidateWhere(ofTenant(m.tenantId));
        this.#origins.invalidate(m.tenantId);
      }
    });
  }

  /**
   * The client, or undefined. An id that could never have been registered is answered without a
   * query or a cache entry, so random probes (up to 8 KiB each) cannot fill the cache.
   */
  async find(tenantId: string, clientId: string): Promise<RegisteredClient | undefined> {
    if (!CLIENT_ID.test(clientId)) return undefined;
    return (await this.#clients.get(clientKey(tenantId, clientId))) ?? undefined;
  }

  async require(tenant: Tenant, clientId: string): Promise<RegisteredClient> {
    const client = await this.find(tenant.id, clientId);
    if (client === undefined) throw new NotFoundProblem(`Client "${clientId}" does not exist in tenant "${tenant.name}".`);
    return client;
  }

  /**
   * True when some client of the tenant registered `origin` for browser (CORS) calls. The endpoint
   * itself checks the origin against the one client again, so one client's origin never gains
   * another client's cookie.
   */
  async isAllowedOrigin(tenantId: string, origin: string): Promise<boolean> {
    return (await this.#origins.get(tenantId)).has(origin);
  }

  /**
   * Declarative create-or-update. A confidential client created without any secret gets a generated
   * one, returned once (only its hash is stored). The client type is immutable: switching a
   * confidential client to public would silently strip its authentication.
   */
  async upsert(tenant: Tenant, clientId: string, spec: ClientSpec): Promise<{ client: RegisteredClient; created: boolean; generatedSecret?: string }> {
    if (isUuid(clientId)) {
      throw new ValidationProblem('clientId must not have the form of a UUID: those are user subjects (RFC 9068 §5)', [
        { name: 'params/clientId', reason: 'must not have the form of a UUID' },
      ]);
    }
    validateClientSpec(spec);
    if (spec.type === 'public' && spec.secret !== undefined) throw new ConflictProblem('Public clients have no secrets.');
    const values = {
      type: spec.type,
      displayName: spec.displayName ?? null,
      grantTypes: [...spec.grantTypes],
      redirectUris: [...(spec.redirectUris ?? [])],
      postLogoutRedirectUris: [...(spec.postLogoutRedirectUris ?? [])],
      allowedCorsOrigins: [...(spec.allowedCorsOrigins ?? [])],
      scopes: [...(spec.scopes ?? [])],
      audience: [...(spec.audience ?? [])],
      tokenLifetimes: { ...(spec.tokenLifetimes ?? {}) },
      firstParty: spec.firstParty ?? false,
      disabled: spec.disabled ?? false,
      tokenEndpointAuthMethod: spec.tokenEndpointAuthMethod ?? (spec.type === 'public' ? ('none' as const) : ('client_secret_basic' as const)),
      pkce: spec.pkce ?? ('required' as const),
      idTokenSignedResponseAlg: spec.idTokenSignedResponseAlg ?? ('ES256' as const),
      accessTokenSigningAlg: spec.accessTokenSigningAlg ?? ('ES256' as const),
      idTokenScopeClaims: spec.idTokenScopeClaims ?? false,
      requireMfa: spec.requireMfa ?? false,
    };
    const result = await retryOnCreateRace(() => this.db.transaction(async (tx) => {
      const [existing] = await tx
        .select()
        .from(clients)
        .where(and(eq(clients.tenantId, tenant.id), eq(clients.clientId, clientId)))
        .for('update');
      const now = this.clock();
      if (existing === undefined) {
        const [row] = await tx.insert(clients).values({ tenantId: tenant.id, clientId, ...values, createdAt: now, updatedAt: now }).returning();
        let generatedSecret: string | undefined;
        if (spec.type === 'confidential') {
          generatedSecret = spec.secret === undefined ? randomToken(32) : undefined;
          await tx.insert(clientSecrets).values({ clientRef: row!.id, secretHash: this.hasher.hash(spec.secret ?? generatedSecret!), createdAt: now });
        }
        return { id: row!.id, created: true, generatedSecret };
      }
      if (existing.type !== spec.type) {
        throw new ConflictProblem(`Client type is immutable (is "${existing.type}"); delete and recreate the client to change it.`);
      }
      if (!sameRegistration(existing, values)) {
        await tx.update(clients).set({ ...values, updatedAt: now }).where(eq(clients.id, existing.id));
      }
      if (spec.secret !== undefined) await this.#ensureSecret(tx, existing.id, this.hasher.hash(spec.secret), null);
      return { id: existing.id, created: false, generatedSecret: undefined };
    }));
    await this.bus.publish({ kind: 'client', tenantId: tenant.id, clientId });
    const client = await this.#load(tenant.id, clientId);
    // A DELETE that committed between the write and this read.
    if (client === null) throw new ConflictProblem(`Client ${clientId} was deleted while it was being written; send the request again.`);
    return result.generatedSecret === undefined
      ? { client, created: result.created }
      : { client, created: result.created, generatedSecret: result.generatedSecret };
  }

  async delete(tenant: Tenant, clientId: string): Promise<void> {
    const deleted = await this.db
      .delete(clients)
      .where(and(eq(clients.tenantId, tenant.id), eq(clients.clientId, clientId)))
      .returning({ id: clients.id });
    if (deleted.length === 0) throw new NotFoundProblem(`Client "${clientId}" does not exist in tenant "${tenant.name}".`);
    await this.bus.publish({ kind: 'client', tenantId: tenant.id, clientId });
  }

  /**
   * Registers a caller-supplied secret (the operator generates and stores it first, so it can never
   * be lost). Adding the same secret again is idempotent and returns the existing id.
   */
  async addSecret(tenant: Tenant, clientId: string, input: ClientSecretCreate): Promise<{ secret: ClientSecret; created: boolean }> {
    const hash = this.hasher.hash(input.secret);
    const expiresAt = input.expiresAt === undefined ? null : new Date(input.expiresAt);
    const result = await this.db.transaction(async (tx) => {
      const [client] = await tx
        .select()
        .from(clients)
        .where(and(eq(clients.tenantId, tenant.id), eq(clients.clientId, clientId)))
        .for('update');
      if (client === undefined) throw new NotFoundProblem(`Client "${clientId}" does not exist in tenant "${tenant.name}".`);
      if (client.type !== 'confidential') throw new ConflictProblem('Public clients have no secrets.');
      return this.#ensureSecret(tx, client.id, hash, expiresAt);
    });
    await this.bus.publish({ kind: 'client', tenantId: tenant.id, clientId });
    return result;
  }

  async removeSecret(tenant: Tenant, clientId: string, secretId: string): Promise<void> {
    const client = await this.require(tenant, clientId);
    const deleted = await this.db
      .delete(clientSecrets)
      .where(and(eq(clientSecrets.id, secretId), eq(clientSecrets.clientRef, client.id)))
      .returning({ id: clientSecrets.id });
    if (deleted.length === 0) throw new NotFoundProblem(`Secret "${secretId}" does not exist on client "${clientId}".`);
    await this.bus.publish({ kind: 'client', tenantId: tenant.id, clientId });
  }

  /** Registers a secret hash unless already present, keeping at most {@link MAX_ACTIVE_SECRETS} active. */
  async #ensureSecret(tx: Executor, clientRef: string, hash: Buffer, expiresAt: Date | null): Promise<{ secret: ClientSecret; created: boolean }> {
    const existing = await tx.select().from(clientSecrets).where(eq(clientSecrets.clientRef, clientRef));
    const same = existing.find((s) => s.secretHash.equals(hash));
    if (same !== undefined) return { secret: same, created: false };
    const now = this.clock();
    const active = existing.filter((s) => s.expiresAt === null || s.expiresAt > now);
    if (active.length >= MAX_ACTIVE_SECRETS) {
      throw new ConflictProblem(`A client may have at most ${MAX_ACTIVE_SECRETS} active secrets; delete one first.`);
    }
    const [secret] = await tx.insert(clientSecrets).values({ clientRef, secretHash: hash, createdAt: now, expiresAt }).returning();
    return { secret: secret!, created: true };
  }

  async #load(tenantId: string, clientId: string): Promise<RegisteredClient | null> {
    const [client] = await this.db
      .select()
      .from(clients)
      .where(and(eq(clients.tenantId, tenantId), eq(clients.clientId, clientId)));
    if (client === undefined) return null;
    const secrets = await this.db.select().from(clientSecrets).where(eq(clientSecrets.clientRef, client.id));
    return { ...client, secrets: secrets.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()) };
  }

  async #loadOrigins(tenantId: string): Promise<ReadonlySet<string>> {
    const rows = await this.db
      .selectDistinct({ origin: sql<string>`unnest(${clients.allowedCorsOrigins})` })
      .from(clients)
      .where(eq(clients.tenantId, tenantId));
    return new Set(rows.map((r) => r.origin));
  }

  /**
   * A tenant's clients in client-id order, keyset-paged on the client id (unique per tenant), each
   * with its secrets' metadata (two queries per page, whatever its size). Read from the tables, not
   * the cache, so a listing never shows a stale registration.
   */
  async list(tenant: Tenant, query: { limit: number; cursor?: string | undefined }): Promise<KeysetPage<RegisteredClient>> {
    const after = query.cursor === undefined ? undefined : keysetCursor.decode(query.cursor, (clientId) => CLIENT_ID.test(clientId));
    const rows = await this.db
      .select()
      .from(clients)
      .where(after === undefined ? eq(clients.tenantId, tenant.id) : and(eq(clients.tenantId, tenant.id), gt(clients.clientId, after)))
      .orderBy(asc(clients.clientId))
      .limit(query.limit + 1);
    const page = keysetCursor.page(rows, query.limit, (client) => client.clientId);
    const secrets =
      page.items.length === 0
        ? []
        : await this.db
            .select()
            .from(clientSecrets)
            .where(inArray(clientSecrets.clientRef, page.items.map((c) => c.id)))
            .orderBy(asc(clientSecrets.createdAt));
    return {
      items: page.items.map((client) => ({ ...client, secrets: secrets.filter((s) => s.clientRef === client.id) })),
      nextCursor: page.nextCursor,
    };
  }
}

function sameRegistration(row: Client, values: Omit<Client, 'id' | 'tenantId' | 'clientId' | 'createdAt' | 'updatedAt'>): boolean {
  return JSON.stringify(pick(row)) === JSON.stringify(pick(values));
}

function pick(c: Omit<Client, 'id' | 'tenantId' | 'clientId' | 'createdAt' | 'updatedAt'>) {
  return [c.type, c.displayName, c.grantTypes, c.redirectUris, c.postLogoutRedirectUris, c.allowedCorsOrigins, c.scopes, c.audience, sortKeys(c.tokenLifetimes), c.firstParty, c.disabled, c.tokenEndpointAuthMethod, c.pkce, c.idTokenSignedResponseAlg, c.accessTokenSigningAlg, c.idTokenScopeClaims, c.requireMfa];
}

function sortKeys(o: object): object {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
