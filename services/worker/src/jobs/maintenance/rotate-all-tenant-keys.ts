import { asc } from 'drizzle-orm';
import { tenants, type Database } from '@lanyard/db';
import type { Logger } from '@lanyard/logger';
import type { EnvelopeCipher } from '@lanyard/security';
import { isEmptyPlan, rotateSigningKeys, SIGNING_ALGS, type RotationPolicy, type SigningAlg } from '@lanyard/signing-keys';

/** Keys created, retired and removed by one rotation pass. */
export interface KeyChangeCounts {
  /** Keys created: a tenant's first key of an algorithm, or a successor published ahead. */
  readonly created: number;
  readonly retired: number;
  readonly removed: number;
}

/** What one rotation pass over every tenant did: totals over all algorithms, and per algorithm. */
export interface KeyRotationSummary extends KeyChangeCounts {
  readonly tenants: number;
  readonly byAlg: Readonly<Record<SigningAlg, KeyChangeCounts>>;
  /** Names of tenants whose rotation failed. */
  readonly failed: readonly string[];
}

/**
 * Applies the rotation plan of every algorithm to every tenant, one transaction per tenant. A
 * failing tenant is logged and collected, and the others still rotate: one broken tenant must not
 * leave every other tenant signing with an overdue key. The caller decides what a failure means for
 * the job. Each algorithm whose keys changed gets its own `signing keys rotated` line, with `alg`.
 */
export async function rotateAllTenantKeys(
  db: Database,
  cipher: EnvelopeCipher,
  policy: RotationPolicy,
  now: Date,
  log: Logger,
): Promise<KeyRotationSummary> {
  const all = await db.select({ id: tenants.id, name: tenants.name }).from(tenants).orderBy(asc(tenants.name));
  const byAlg = Object.fromEntries(SIGNING_ALGS.map((alg) => [alg, { created: 0, retired: 0, removed: 0 }])) as Record<SigningAlg, { created: number; retired: number; removed: number }>;
  const failed: string[] = [];
  for (const tenant of all) {
    try {
      const { plans, created } = await rotateSigningKeys(db, cipher, tenant.id, policy, now);
      for (const alg of SIGNING_ALGS) {
        const plan = plans[alg];
        if (isEmptyPlan(plan)) continue;
        const createdKid = created[alg];
        log.info(
          {
            tenant: tenant.name,
            alg,
            created: plan.create === null || createdKid === undefined ? undefined : { kid: createdKid, activatesAt: plan.create.activatesAt.toISOString() },
            retired: plan.retire.map((r) => r.kid),
            removed: plan.remove,
          },
          'signing keys rotated',
        );
        const counts = byAlg[alg];
        if (plan.create !== null) counts.created++;
        counts.retired += plan.retire.length;
        counts.removed += plan.remove.length;
      }
    } catch (error) {
      failed.push(tenant.name);
      log.error({ tenant: tenant.name, err: error }, 'signing-key rotation failed');
    }
  }
  const total = (field: keyof KeyChangeCounts) => SIGNING_ALGS.reduce((sum, alg) => sum + byAlg[alg][field], 0);
  return { tenants: all.length, created: total('created'), retired: total('retired'), removed: total('removed'), byAlg, failed };
}
