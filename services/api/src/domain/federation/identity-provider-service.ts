import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Clock } from '@lanyard/clock';
import type { IdentityProviderSpec } from '@lanyard/contracts';
import { identityProviders, type Executor, type IdentityProvider, type Tenant } from '@lanyard/db';
import { NotFoundProblem } from '@lanyard/errors';
import type { EnvelopeCipher } from '@lanyard/security';
import { retryOnCreateRace } from '../retry-on-create-race.js';

/** Associated data of a provider's secret: its ciphertext only decrypts in its own row. */
const aad = (tenantId: string, name: string) => `upstream-client-secret:${tenantId}:${name}`;

/** The first 16 hex digits of SHA-256: enough to tell a secret changed, nothing to guess it by. */
export const secretFingerprint = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex').slice(0, 16);

export const DEFAULT_UPSTREAM_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * A tenant's upstream identity providers (docs/reference/federation.md): declarative upserts like
 * clients, the secret write-only and encrypted, `openid` always among the scopes.
 */
export class IdentityProviderService {
  constructor(
    private readonly db: Executor,
    private readonly cipher: EnvelopeCipher,
    private readonly clock: Clock,
  ) {}

  async find(tenantId: string, name: string): Promise<IdentityProvider | undefined> {
    const [row] = await this.db.select().from(identityProviders).where(and(eq(identityProviders.tenantId, tenantId), eq(identityProviders.name, name)));
    return row;
  }

  async require(tenant: Tenant, name: string): Promise<IdentityProvider> {
    const row = await this.find(tenant.id, name);
    if (row === undefined) throw new NotFoundProblem(`Identity provider "${name}" does not exist in tenant "${tenant.name}".`);
    return row;
  }

  list(tenantId: string): Promise<IdentityProvider[]> {
    return this.db.select().from(identityProviders).where(eq(identityProviders.tenantId, tenantId)).orderBy(identityProviders.name);
  }

  /** The client secret in clear, for the token request to the upstream; undefined when it has none. */
  clientSecret(provider: IdentityProvider): string | undefined {
    return provider.clientSecret === null ? undefined : this.cipher.decrypt(provider.clientSecret, aad(provider.tenantId, provider.name)).toString('utf8');
  }

  async upsert(tenant: Tenant, name: string, spec: IdentityProviderSpec): Promise<{ provider: IdentityProvider; created: boolean }> {
    // An empty list (the schema's default) means the default scopes: `openid` alone would leave the email out.
    const scopes = [...new Set(['openid', ...(spec.scopes === undefined || spec.scopes.length === 0 ? DEFAULT_UPSTREAM_SCOPES : spec.scopes)])];
    const values = {
      displayName: spec.displayName,
      issuer: spec.issuer.replace(/\/$/, ''),
      clientId: spec.clientId,
      scopes,
      claims: { ...(spec.claims ?? {}) },
      linking: spec.linking,
      disabled: spec.disabled ?? false,
      ...(spec.clientSecret === undefined
        ? {}
        : { clientSecret: this.cipher.encrypt(Buffer.from(spec.clientSecret, 'utf8'), aad(tenant.id, name)), clientSecretFingerprint: secretFingerprint(spec.clientSecret) }),
    };
    return retryOnCreateRace(() =>
      this.db.transaction(async (tx) => {
        const [existing] = await tx.select().from(identityProviders).where(and(eq(identityProviders.tenantId, tenant.id), eq(identityProviders.name, name))).for('update');
        const now = this.clock();
        if (existing === undefined) {
          const [row] = await tx.insert(identityProviders).values({ tenantId: tenant.id, name, ...values, createdAt: now, updatedAt: now }).returning();
          return { provider: row!, created: true };
        }
        const [row] = await tx.update(identityProviders).set({ ...values, updatedAt: now }).where(eq(identityProviders.id, existing.id)).returning();
        return { provider: row!, created: false };
      }),
    );
  }

  async delete(tenant: Tenant, name: string): Promise<void> {
    const removed = await this.db.delete(identityProviders).where(and(eq(identityProviders.tenantId, tenant.id), eq(identityProviders.name, name))).returning({ id: identityProviders.id });
    if (removed.length === 0) throw new NotFoundProblem(`Identity provider "${name}" does not exist in tenant "${tenant.name}".`);
  }
}
