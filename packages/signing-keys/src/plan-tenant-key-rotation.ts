import { planKeyRotation, type KeyState, type RotationPlan, type RotationPolicy } from './plan-key-rotation.js';
import { SIGNING_ALGS, type SigningAlg } from './signing-algs.js';

/** A stored key as the per-algorithm planner sees it: its lifecycle and the algorithm it belongs to. */
export interface AlgKeyState extends KeyState {
  readonly alg: string;
}

/** One {@link RotationPlan} per signing algorithm. */
export type TenantRotationPlan = Readonly<Record<SigningAlg, RotationPlan>>;

/**
 * Pure rotation schedule for all of one tenant's keys: {@link planKeyRotation} run once per
 * algorithm over the keys of that algorithm only, so each algorithm has its own lifecycle (an RS256
 * key added to a tenant whose ES256 key is 20 days old rotates 30 days after *its* activation, and
 * neither key set's successor, retirement or removal ever touches the other). Keys with an
 * algorithm we do not sign with are left alone.
 */
export function planTenantKeyRotation(keys: readonly AlgKeyState[], now: Date, policy: RotationPolicy): TenantRotationPlan {
  const plans = {} as Record<SigningAlg, RotationPlan>;
  for (const alg of SIGNING_ALGS) {
    plans[alg] = planKeyRotation(
      keys.filter((k) => k.alg === alg),
      now,
      policy,
    );
  }
  return plans;
}

/** True when a plan changes nothing. */
export function isEmptyPlan(plan: RotationPlan): boolean {
  return plan.create === null && plan.retire.length === 0 && plan.remove.length === 0;
}
