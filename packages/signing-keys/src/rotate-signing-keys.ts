import { and, eq, inArray, sql } from 'drizzle-orm';
import { signingKeys, type Executor, type SigningKey } from '@lanyard/db';
import type { EnvelopeCipher } from '@lanyard/security';
import { generateSigningKey } from './generate-signing-key.js';
import { planKeyRotation, type RotationPlan, type RotationPolicy } from './plan-key-rotation.js';

/**
 * Applies {@link planKeyRotation} to one tenant inside a transaction holding a per-tenant advisory
 * lock, so API replicas and the worker never create two successors at once. Returns the plan that
 * was applied and the tenant's keys afterwards. `db` may be an open transaction (a new tenant gets
 * its first key in the transaction that creates it); `now` comes from the caller's clock.
 */
export async function rotateSigningKeys(
  db: Executor,
  cipher: EnvelopeCipher,
  tenantId: string,
  policy: RotationPolicy,
  now: Date,
): Promise<{ plan: RotationPlan; keys: SigningKey[] }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('signing-keys'), hashtext(${tenantId}))`);
    const existing = await tx.select().from(signingKeys).where(eq(signingKeys.tenantId, tenantId));
    const plan = planKeyRotation(existing, now, policy);
    if (plan.remove.length > 0) {
      await tx.delete(signingKeys).where(and(eq(signingKeys.tenantId, tenantId), inArray(signingKeys.kid, [...plan.remove])));
    }
    for (const r of plan.retire) {
      await tx.update(signingKeys).set({ retiredAt: r.retiredAt, expiresAt: r.expiresAt }).where(eq(signingKeys.kid, r.kid));
    }
    if (plan.create !== null) {
      const key = generateSigningKey(cipher);
      await tx.insert(signingKeys).values({ ...key, tenantId, activatesAt: plan.create.activatesAt });
    }
    const changed = plan.create !== null || plan.retire.length > 0 || plan.remove.length > 0;
    const keys = changed ? await tx.select().from(signingKeys).where(eq(signingKeys.tenantId, tenantId)) : existing;
    return { plan, keys };
  });
}
