import { ADMIN_AUDIENCE, ADMIN_SCOPE, SYSTEM_TENANT } from '@lanyard/contracts';
import { withAdvisoryLock } from '@lanyard/db';
import type { AppContext } from '../context.js';

// Serialises bootstrap across replicas starting at once; any constant shared by all replicas works.
const BOOTSTRAP_LOCK = 7_226_731_002;

/**
 * Creates the `system` tenant and the bootstrap admin client from configuration, on every start
 * (idempotent). When the configured secret changes, it is registered and older secrets are trimmed
 * to the newest one, so a rolling restart keeps both old and new replicas working.
 */
export async function ensureSystemTenant(ctx: Pick<AppContext, 'config' | 'database' | 'tenants' | 'clients' | 'secretHasher' | 'log'>): Promise<void> {
  const { BOOTSTRAP_ADMIN_CLIENT_ID: clientId, BOOTSTRAP_ADMIN_CLIENT_SECRET: secret } = ctx.config;
  const client = await withBootstrapLock(ctx, async () => {
    const { tenant } = await ctx.tenants.upsert(SYSTEM_TENANT, { displayName: 'Lanyard system', managedBy: 'lanyard' });
    const existing = await ctx.clients.find(tenant.id, clientId);
    if (existing !== undefined && !ctx.secretHasher.matchesAny(secret, existing.secrets.map((s) => s.secretHash))) {
      for (const old of existing.secrets.slice(0, -1)) await ctx.clients.removeSecret(tenant, clientId, old.id);
    }
    const result = await ctx.clients.upsert(tenant, clientId, {
      type: 'confidential',
      displayName: 'Bootstrap admin client',
      grantTypes: ['client_credentials'],
      redirectUris: [],
      postLogoutRedirectUris: [],
      allowedCorsOrigins: [],
      scopes: [ADMIN_SCOPE],
      audience: [ADMIN_AUDIENCE],
      firstParty: true,
      secret,
    });
    return result.client;
  });
  ctx.log.info({ tenant: SYSTEM_TENANT, clientId: client.clientId }, 'system tenant ready');
}

/** Runs `work` under the bootstrap advisory lock, so replicas starting at once bootstrap one at a time. */
export function withBootstrapLock<T>(ctx: Pick<AppContext, 'database'>, work: () => Promise<T>): Promise<T> {
  return withAdvisoryLock(ctx.database.pool, BOOTSTRAP_LOCK, work);
}
