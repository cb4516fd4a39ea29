import { and, eq, inArray } from 'drizzle-orm';
import { systemClock } from '@lanyard/clock';
import { clients, createDatabase, tenants, users } from '@lanyard/db';
import { RefreshTokenService } from '../../src/domain/tokens/refresh-token-service.js';
import { mapInParallel } from './in-parallel.js';
import { BENCH_TENANT, WEB_CLIENT } from './lanyard.js';

/** What Lanyard's families (and the peer's refresh tokens) are granted (same on both sides). */
export const REFRESH_SCOPES = ['openid', 'email', 'offline_access', 'orders:read'];

export interface RefreshMinter {
  /** `count` new families of `bench-web` for the bench users, one refresh token each. */
  mint(count: number): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Families created directly through RefreshTokenService.createFamily in the bench database: set-up,
 * not measurement, so these connections skip the WAL flush wait. Needs ensureBenchTenant first.
 */
export async function refreshMinter(databaseUrl: string, emails: readonly string[]): Promise<RefreshMinter> {
  const mintUrl = new URL(databaseUrl);
  mintUrl.searchParams.set('options', '-c synchronous_commit=off');
  const handle = createDatabase({ url: mintUrl.toString(), poolMax: 16, applicationName: 'lanyard-bench-mint' });
  const [tenant] = await handle.db.select().from(tenants).where(eq(tenants.name, BENCH_TENANT));
  const [client] = await handle.db.select().from(clients).where(and(eq(clients.tenantId, tenant!.id), eq(clients.clientId, WEB_CLIENT)));
  const userIds = (await handle.db.select({ id: users.id }).from(users).where(and(eq(users.tenantId, tenant!.id), inArray(users.email, [...emails])))).map((u) => u.id);
  // The successor key only matters for rotation, which the API does with its own key.
  const service = new RefreshTokenService(handle.db, Buffer.alloc(32), 10, systemClock);
  return {
    async mint(count) {
      return mapInParallel(count, 16, async (i) => {
        const { token } = await service.createFamily({
          tenantId: tenant!.id,
          clientRef: client!.id,
          userId: userIds[i % userIds.length]!,
          sessionId: null,
          scopes: REFRESH_SCOPES,
          authTime: new Date(),
          claims: null,
          amr: ['pwd'],
          acr: null,
          delivery: 'body',
          idleTtlSeconds: 14 * 86_400,
          absoluteTtlSeconds: 30 * 86_400,
        });
        return token;
      });
    },
    close: () => handle.close(),
  };
}
