import { ADMIN_AUDIENCE, ADMIN_SCOPE, SYSTEM_TENANT } from '@lanyard/contracts';
import type { AppContext } from '../context.js';

// Serialises bootstrap across replicas starting at once; any constant shared by all replicas works.
const BOOTSTRAP_LOCK = 7_226_731_002;

/**
 * Creates the `system` tenant and the bootstrap admin client from configuration, on every start
 * (idempotent). When the configured secret changes, it is registered and older secrets are trimmed
 * to the newest one, so a rolling restart keeps both old and new replicas working.
 */
export async function ensureSystemTenant(ctx: AppContext): Promise<void> {
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

/** Holds a session advisory lock on a dedicated connection while `work` runs on the pool. */
export async function withBootstrapLock<T>(ctx: AppContext, work: () => Promise<T>): Promise<T> {
  const connection = await ctx.database.pool.connect();
  try {
    await connection.query('select pg_advisory_lock($1)', [BOOTSTRAP_LOCK]);
    return await work();
  } finally {
    await connection.query('select pg_advisory_unlock($1)', [BOOTSTRAP_LOCK]).catch(() => undefined);
    connection.release();
  }
}
