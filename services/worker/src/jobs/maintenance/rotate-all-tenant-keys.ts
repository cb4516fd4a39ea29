import { asc } from 'drizzle-orm';
import { tenants, type Database } from '@lanyard/db';
import type { Logger } from '@lanyard/logger';
import type { EnvelopeCipher } from '@lanyard/security';
import { rotateSigningKeys, type RotationPolicy } from '@lanyard/signing-keys';

/** What one rotation pass over every tenant did. */
export interface KeyRotationSummary {
  readonly tenants: number;
  /** Tenants that got a new key (a first key, or a successor published ahead). */
  readonly created: number;
  readonly retired: number;
  readonly removed: number;
  /** Names of tenants whose rotation failed. */
  readonly failed: readonly string[];
}

/**
 * Applies the rotation plan to every tenant, one transaction each. A failing tenant is logged and
 * collected, and the others still rotate: one broken tenant must not leave every other tenant
 * signing with an overdue key. The caller decides what a failure means for the job.
 */
export async function rotateAllTenantKeys(
  db: Database,
  cipher: EnvelopeCipher,
  policy: RotationPolicy,
  now: Date,
  log: Logger,
): Promise<KeyRotationSummary> {
  const all = await db.select({ id: tenants.id, name: tenants.name }).from(tenants).orderBy(asc(tenants.name));
  let created = 0;
  let retired = 0;
  let removed = 0;
  const failed: string[] = [];
  for (const tenant of all) {
    try {
      const { plan, keys } = await rotateSigningKeys(db, cipher, tenant.id, policy, now);
      if (plan.create === null && plan.retire.length === 0 && plan.remove.length === 0) continue;
      const createdKid = plan.create === null ? undefined : keys.find((k) => k.activatesAt.getTime() === plan.create!.activatesAt.getTime())?.kid;
      log.info(
        {
          tenant: tenant.name,
          created: createdKid === undefined ? undefined : { kid: createdKid, activatesAt: plan.create!.activatesAt.toISOString() },
          retired: plan.retire.map((r) => r.kid),
          removed: plan.remove,
        },
        'signing keys rotated',
      );
      if (plan.create !== null) created++;
      retired += plan.retire.length;
      removed += plan.remove.length;
    } catch (error) {
      failed.push(tenant.name);
      log.error({ tenant: tenant.name, err: error }, 'signing-key rotation failed');
    }
  }
  return { tenants: all.length, created, retired, removed, failed };
}
