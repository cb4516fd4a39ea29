import { asc, eq, gt } from 'drizzle-orm';
import { tenants, type Database, type Tenant, isDatabaseUnavailable } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import { ConflictProblem, NotFoundProblem } from '@lanyard/errors';
import { SYSTEM_TENANT, type TenantSpec } from '@lanyard/contracts';
import { LoadThrough } from '../../infra/load-through.js';
import { TtlCache } from '../../infra/ttl-cache.js';
import { STALE_IF_UNAVAILABLE_MS } from '../../infra/stale-if-unavailable.js';
import { retryOnCreateRace } from '../retry-on-create-race.js';
import { keysetCursor, type KeysetPage } from '../paging/keyset-cursor.js';
import type { InvalidationBus } from '../../infra/invalidation-bus.js';
import type { SigningKeyService } from '../keys/signing-key-service.js';

/** What OAuth endpoints need of tenants: find one by its issuer path segment, and its issuer URL. */
export type TenantLookup = Pick<TenantService, 'find' | 'issuer'>;

/**
 * Tenants by name, cached (including "no such tenant", so a scan of unknown issuers does not reach
 * the database on every request). Writes invalidate every replica's copy.
 */
export class TenantService {
  readonly #byName: LoadThrough<string, Tenant | null>;

  constructor(
    private readonly db: Database,
    private readonly bus: InvalidationBus,
    private readonly keys: Pick<SigningKeyService, 'ensureKeys'>,
    private readonly publicUrl: string,
    private readonly clock: Clock,
    /** Told each time a tenant is loaded (at most once per cache lifetime), e.g. to create its metric series. */
    private readonly onLoaded: (tenant: Tenant) => void = () => {},
  ) {
    this.#byName = new LoadThrough(
      new TtlCache(30_000, 10_000, clock, STALE_IF_UNAVAILABLE_MS),
      async (name) => {
        const [row] = await this.db.select().from(tenants).where(eq(tenants.name, name));
        if (row !== undefined) this.onLoaded(row);
        return row ?? null;
      },
      isDatabaseUnavailable,
    );
    bus.on((m) => {
      if (m.kind === 'tenant') this.#byName.invalidate(m.tenant);
    });
  }

  issuer(name: string): string {
    return `${this.publicUrl}/tenants/${name}`;
  }

  async find(name: string): Promise<Tenant | undefined> {
    return (await this.#byName.get(name)) ?? undefined;
  }

  async require(name: string): Promise<Tenant> {
    const tenant = await this.find(name);
    if (tenant === undefined) throw new NotFoundProblem(`Tenant "${name}" does not exist.`);
    return tenant;
  }

  /**
   * Declarative create-or-update. A new tenant gets its first signing key (ES256) in the same
   * transaction, so a tenant is never visible without a key to sign with.
   */
  async upsert(name: string, spec: TenantSpec): Promise<{ tenant: Tenant; created: boolean }> {
    const result = await retryOnCreateRace(() => this.db.transaction(async (tx) => {
      const [existing] = await tx.select().from(tenants).where(eq(tenants.name, name)).for('update');
      const managedBy = spec.managedBy ?? null;
      const rateLimits = { ...(spec.rateLimits ?? {}) };
      const accounts = { ...(spec.accounts ?? {}) };
      const mfa = { ...(spec.mfa ?? {}) };
      if (existing === undefined) {
        const now = this.clock();
        const [tenant] = await tx.insert(tenants).values({ name, displayName: spec.displayName, managedBy, rateLimits, accounts, mfa, createdAt: now, updatedAt: now }).returning();
        await this.keys.ensureKeys(tenant!.id, tx);
        return { tenant: tenant!, created: true };
      }
      const unchanged =
        existing.displayName === spec.displayName && existing.managedBy === managedBy && sameFields(existing.rateLimits, rateLimits) && sameFields(existing.accounts, accounts) && sameFields(existing.mfa, mfa);
      if (unchanged) return { tenant: existing, created: false };
      const [tenant] = await tx
        .update(tenants)
        .set({ displayName: spec.displayName, managedBy, rateLimits, accounts, mfa, updatedAt: this.clock() })
        .where(eq(tenants.id, existing.id))
        .returning();
      return { tenant: tenant!, created: false };
    }));
    await this.bus.publish({ kind: 'tenant', tenant: name, tenantId: result.tenant.id });
    return result;
  }

  /** Deletes a tenant and, by cascade, everything it owns. The `system` tenant cannot be deleted. */
  async delete(name: string): Promise<void> {
    if (name === SYSTEM_TENANT) throw new ConflictProblem('The system tenant cannot be deleted.');
    const deleted = await this.db.delete(tenants).where(eq(tenants.name, name)).returning({ id: tenants.id });
    if (deleted.length === 0) throw new NotFoundProblem(`Tenant "${name}" does not exist.`);
    await this.bus.publish({ kind: 'tenant', tenant: name, tenantId: deleted[0]!.id });
    await this.bus.publish({ kind: 'signing-keys', tenantId: deleted[0]!.id });
  }

  /**
   * Every tenant, `system` included, in name order; keyset-paged on the unique name. Read from the
   * table, not the cache: a listing must show tenants another replica just created.
   */
  async list(query: { limit: number; cursor?: string | undefined }): Promise<KeysetPage<Tenant>> {
    const after = query.cursor === undefined ? undefined : keysetCursor.decode(query.cursor, (name) => TENANT_NAME.test(name));
    const rows = await this.db
      .select()
      .from(tenants)
      .where(after === undefined ? undefined : gt(tenants.name, after))
      .orderBy(asc(tenants.name))
      .limit(query.limit + 1);
    return keysetCursor.page(rows, query.limit, (tenant) => tenant.name);
  }
}

/** What the `tenants_name_dns_label` check allows: anything else cannot be a tenant's name. */
const TENANT_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function sameFields(a: object, b: object): boolean {
  const sorted = (o: object) => JSON.stringify(Object.entries(o).sort(([x], [y]) => x.localeCompare(y)));
  return sorted(a) === sorted(b);
}
