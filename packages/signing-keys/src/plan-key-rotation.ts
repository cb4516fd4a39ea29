/** What the planner needs to know of a stored key. */
export interface KeyState {
  readonly kid: string;
  readonly createdAt: Date;
  readonly activatesAt: Date;
  readonly retiredAt: Date | null;
  readonly expiresAt: Date | null;
}

export interface RotationPolicy {
  /** How long a key signs before its successor takes over. */
  readonly rotationPeriodSeconds: number;
  /** How long a successor is published in the JWKS before it signs (so relying parties' caches see it). */
  readonly publishAheadSeconds: number;
  /** Longest lifetime of anything a key signs; a retired key stays published this long. */
  readonly maxTokenLifetimeSeconds: number;
}

export interface RotationPlan {
  /** Create a key that starts signing at this instant (now, for a tenant with no key). */
  readonly create: { activatesAt: Date } | null;
  readonly retire: ReadonlyArray<{ kid: string; retiredAt: Date; expiresAt: Date }>;
  readonly remove: readonly string[];
}

const seconds = (s: number) => s * 1000;

/**
 * Pure rotation schedule for one tenant's keys of one algorithm (see planTenantKeyRotation, which
 * runs it per algorithm):
 * - no usable key → create one that signs immediately (nobody can have cached an empty JWKS);
 * - the signing key is due for replacement within `publishAhead` and no successor exists → create the
 *   successor, activating at the later of (now + publishAhead) and (current activation + period);
 * - once a newer key signs, older unretired keys retire at its activation and expire after the
 *   longest token lifetime;
 * - keys past `expiresAt` leave the key set.
 */
export function planKeyRotation(keys: readonly KeyState[], now: Date, policy: RotationPolicy): RotationPlan {
  const live = keys.filter((k) => k.expiresAt === null || k.expiresAt > now);
  const remove = keys.filter((k) => k.expiresAt !== null && k.expiresAt <= now).map((k) => k.kid);

  const unretired = live.filter((k) => k.retiredAt === null).sort((a, b) => a.activatesAt.getTime() - b.activatesAt.getTime());
  const activated = unretired.filter((k) => k.activatesAt <= now);
  const pending = unretired.filter((k) => k.activatesAt > now);
  const current = activated.at(-1);

  const retire = activated.slice(0, -1).map((k) => {
    const retiredAt = current!.activatesAt;
    return { kid: k.kid, retiredAt, expiresAt: new Date(retiredAt.getTime() + seconds(policy.maxTokenLifetimeSeconds)) };
  });

  let create: RotationPlan['create'] = null;
  if (current === undefined && pending.length === 0) {
    create = { activatesAt: now };
  } else if (current !== undefined && pending.length === 0) {
    const due = current.activatesAt.getTime() + seconds(policy.rotationPeriodSeconds);
    if (due - seconds(policy.publishAheadSeconds) <= now.getTime()) {
      create = { activatesAt: new Date(Math.max(due, now.getTime() + seconds(policy.publishAheadSeconds))) };
    }
  }
  return { create, retire, remove };
}
