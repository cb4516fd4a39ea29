import { and, eq, inArray, sql } from 'drizzle-orm';
import { signingKeys, type Executor, type SigningKey } from '@lanyard/db';
import type { EnvelopeCipher } from '@lanyard/security';
import { generateSigningKey } from './generate-signing-key.js';
import type { RotationPolicy } from './plan-key-rotation.js';
import { isEmptyPlan, planTenantKeyRotation, type TenantRotationPlan } from './plan-tenant-key-rotation.js';
import { SIGNING_ALGS, type SigningAlg } from './signing-algs.js';

const UNCHANGED = Object.freeze({ create: null, retire: [], remove: [] });

/** What {@link rotateSigningKeys} did to one tenant. */
export interface TenantKeyRotation {
  /** The plan applied to each algorithm's keys. */
  readonly plans: TenantRotationPlan;
  /** The kid of the key created for each algorithm whose plan created one. */
  readonly created: Readonly<Partial<Record<SigningAlg, string>>>;
  /** All of the tenant's keys afterwards, of every algorithm. */
  readonly keys: SigningKey[];
}

/**
 * Applies {@link planTenantKeyRotation} to one tenant inside a transaction holding a per-tenant
 * advisory lock, so API replicas and the worker never create two successors at once. Every
 * algorithm is planned over its own keys and all plans are applied in that one transaction: a tenant
 * with no key of an algorithm gets one that signs at once, the others follow their own schedules.
 * Returns the plans and the tenant's keys afterwards. `db` may be an open transaction (a new
 * tenant gets its first key in the transaction that creates it); `now` comes from the caller's
 * clock; `algs` limits the run to some algorithms (a new tenant's transaction creates only the
 * ES256 key, see SigningKeyService.ensureKeys).
 *
 * Creating an RS256 key takes a few hundred milliseconds of thread-pool time (see
 * {@link generateSigningKey}), during which the lock and the transaction stay open; that only
 * happens when a key is due, never on a run that changes nothing.
 */
export async function rotateSigningKeys(
  db: Executor,
  cipher: EnvelopeCipher,
  tenantId: string,
  policy: RotationPolicy,
  now: Date,
  algs: readonly SigningAlg[] = SIGNING_ALGS,
): Promise<TenantKeyRotation> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('signing-keys'), hashtext(${tenantId}))`);
    const existing = await tx.select().from(signingKeys).where(eq(signingKeys.tenantId, tenantId));
    // Algorithms left out of `algs` keep their keys as they are, whatever their schedule says.
    const planned = planTenantKeyRotation(existing, now, policy);
    const plans = Object.fromEntries(SIGNING_ALGS.map((alg) => [alg, algs.includes(alg) ? planned[alg] : UNCHANGED])) as TenantRotationPlan;
    const created: Partial<Record<SigningAlg, string>> = {};
    for (const alg of SIGNING_ALGS) {
      const plan = plans[alg];
      if (plan.remove.length > 0) {
        await tx
          .delete(signingKeys)
          .where(and(eq(signingKeys.tenantId, tenantId), eq(signingKeys.alg, alg), inArray(signingKeys.kid, [...plan.remove])));
      }
      for (const r of plan.retire) {
        await tx
          .update(signingKeys)
          .set({ retiredAt: r.retiredAt, expiresAt: r.expiresAt })
          .where(and(eq(signingKeys.tenantId, tenantId), eq(signingKeys.kid, r.kid)));
      }
      if (plan.create !== null) {
        const key = await generateSigningKey(cipher, alg);
        await tx.insert(signingKeys).values({ ...key, tenantId, activatesAt: plan.create.activatesAt });
        created[alg] = key.kid;
      }
    }
    const changed = SIGNING_ALGS.some((alg) => !isEmptyPlan(plans[alg]));
    const keys = changed ? await tx.select().from(signingKeys).where(eq(signingKeys.tenantId, tenantId)) : existing;
    return { plans, created, keys };
  });
}
