import { and, eq } from 'drizzle-orm';
import { clients, clientSecrets, type Client, type ClientSecret, type Database, type Tenant } from '@lanyard/db';
import { ConflictProblem, NotFoundProblem } from '@lanyard/errors';
import { randomToken, type SecretHasher } from '@lanyard/security';
import type { ClientSecretCreate, ClientSpec } from '@lanyard/contracts';
import { LoadThrough } from '../../infra/load-through.js';
import { TtlCache } from '../../infra/ttl-cache.js';
import type { InvalidationBus } from '../../infra/invalidation-bus.js';
import { validateClientSpec } from './validate-client-spec.js';

/** A client as the OAuth endpoints see it: its registration plus its secret hashes. */
export interface RegisteredClient extends Client {
  readonly secrets: readonly ClientSecret[];
}

/** During rotation two secrets may be valid at once (DESIGN.md), never more. */
export const MAX_ACTIVE_SECRETS = 2;

const cacheKey = (tenantId: string, clientId: string) => `${tenantId}\u0000${clientId}`;

/**
 * OAuth client registrations. Lookups are cached (with secrets), so `client_credentials` needs no
 * database round trip on the hot path; every write invalidates the entry on every replica.
 */
export class ClientService {
  readonly #cache: LoadThrough<string, RegisteredClient | null>;

  constructor(
    private readonly db: Database,
    private readonly bus: InvalidationBus,
    private readonly hasher: SecretHasher,
  ) {
    this.#cache = new LoadThrough(new TtlCache(30_000, 50_000), async (key) => {
      const [tenantId, clientId] = key.split('\u0000') as [string, string];
      return this.#load(tenantId, clientId);
    });
    bus.on((m) => {
      if (m.kind === 'client') this.#cache.invalidate(cacheKey(m.tenantId, m.clientId));
      if (m.kind === 'tenant') this.#cache.invalidateWhere(() => true);
    });
  }

  async find(tenantId: string, clientId: string): Promise<RegisteredClient | undefined> {
    return (await this.#cache.get(cacheKey(tenantId, clientId))) ?? undefined;
  }

  async require(tenant: Tenant, clientId: string): Promise<RegisteredClient> {
    const client = await this.find(tenant.id, clientId);
    if (client === undefined) throw new NotFoundProblem(`Client "${clientId}" does not exist in tenant "${tenant.name}".`);
    return client;
  }

  /**
   * Declarative create-or-update. A confidential client created without any secret gets a generated
   * one, returned once (only its hash is stored). The client type is immutable: switching a
   * confidential client to public would silently strip its authentication.
   */
  async upsert(tenant: Tenant, clientId: string, spec: ClientSpec): Promise<{ client: RegisteredClient; created: boolean; generatedSecret?: string }> {
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
    };
    const result = await this.db.transaction(async (tx) => {
      const [existing] = await tx
        .select()
        .from(clients)
        .where(and(eq(clients.tenantId, tenant.id), eq(clients.clientId, clientId)))
        .for('update');
      if (existing === undefined) {
        const [row] = await tx.insert(clients).values({ tenantId: tenant.id, clientId, ...values }).returning();
        let generatedSecret: string | undefined;
        if (spec.type === 'confidential') {
          generatedSecret = spec.secret === undefined ? randomToken(32) : undefined;
          await tx.insert(clientSecrets).values({ clientRef: row!.id, secretHash: this.hasher.hash(spec.secret ?? generatedSecret!) });
        }
        return { id: row!.id, created: true, generatedSecret };
      }
      if (existing.type !== spec.type) {
        throw new ConflictProblem(`Client type is immutable (is "${existing.type}"); delete and recreate the client to change it.`);
      }
      if (!sameRegistration(existing, values)) {
        await tx.update(clients).set({ ...values, updatedAt: new Date() }).where(eq(clients.id, existing.id));
      }
      if (spec.secret !== undefined) await this.#ensureSecret(tx as unknown as Database, existing.id, this.hasher.hash(spec.secret), null);
      return { id: existing.id, created: false, generatedSecret: undefined };
    });
    await this.bus.publish({ kind: 'client', tenantId: tenant.id, clientId });
    const client = (await this.#load(tenant.id, clientId))!;
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
      return this.#ensureSecret(tx as unknown as Database, client.id, hash, expiresAt);
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
  async #ensureSecret(tx: Database, clientRef: string, hash: Buffer, expiresAt: Date | null): Promise<{ secret: ClientSecret; created: boolean }> {
    const existing = await tx.select().from(clientSecrets).where(eq(clientSecrets.clientRef, clientRef));
    const same = existing.find((s) => s.secretHash.equals(hash));
    if (same !== undefined) return { secret: same, created: false };
    const now = new Date();
    const active = existing.filter((s) => s.expiresAt === null || s.expiresAt > now);
    if (active.length >= MAX_ACTIVE_SECRETS) {
      throw new ConflictProblem(`A client may have at most ${MAX_ACTIVE_SECRETS} active secrets; delete one first.`);
    }
    const [secret] = await tx.insert(clientSecrets).values({ clientRef, secretHash: hash, expiresAt }).returning();
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
}

function sameRegistration(row: Client, values: Omit<Client, 'id' | 'tenantId' | 'clientId' | 'createdAt' | 'updatedAt'>): boolean {
  return JSON.stringify(pick(row)) === JSON.stringify(pick(values));
}

function pick(c: Omit<Client, 'id' | 'tenantId' | 'clientId' | 'createdAt' | 'updatedAt'>) {
  return [c.type, c.displayName, c.grantTypes, c.redirectUris, c.postLogoutRedirectUris, c.allowedCorsOrigins, c.scopes, c.audience, sortKeys(c.tokenLifetimes), c.firstParty];
}

function sortKeys(o: object): object {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}
