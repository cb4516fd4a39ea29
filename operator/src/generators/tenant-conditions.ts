import type { Condition } from '@lanyard/crd';

/** The parts of a tenant that have their own condition, in the order Ready looks at them. */
export const PART_CONDITIONS = ['TenantReady', 'SecretsReady', 'ClientsReady', 'IdentityProvidersReady', 'DashboardsReady'] as const;

/** One of {@link PART_CONDITIONS}. */
export type PartCondition = (typeof PART_CONDITIONS)[number];

/** The computed state of one part, before times and generations are attached. */
export interface PartOutcome {
  readonly status: 'True' | 'False' | 'Unknown';
  /** CamelCase (API conventions "Typical status properties"). */
  readonly reason: string;
  readonly message: string;
}

/** `metav1.Time` serialises with second precision; matching it keeps compare-before-write stable. */
export const conditionTime = (now: Date) => `${now.toISOString().slice(0, 19)}Z`;

/** Ready summarises the parts: True only when every part is True, else the first failing part's reason. */
export function readyOutcome(parts: Readonly<Record<PartCondition, PartOutcome>>): PartOutcome {
  const failing = PART_CONDITIONS.map((type) => parts[type]).find((p) => p.status !== 'True');
  if (failing === undefined) return { status: 'True', reason: 'Reconciled', message: 'The tenant, its clients, their Secrets and its identity providers match the spec.' };
  return { status: 'False', reason: failing.reason, message: failing.message };
}

/**
 * The conditions to write: Ready first, then each part. Per API conventions `lastTransitionTime`
 * changes only when `status` changes, and `observedGeneration` records the generation the
 * condition was computed from; given the same inputs the result is identical, so an unchanged
 * tenant produces no status write. `ready` overrides the summary when a failure is not any one part's.
 */
export function buildConditions(
  previous: readonly Condition[] | undefined,
  parts: Readonly<Record<PartCondition, PartOutcome>>,
  generation: number,
  now: Date,
  ready: PartOutcome = readyOutcome(parts),
): Condition[] {
  const outcomes: Array<[string, PartOutcome]> = [['Ready', ready], ...PART_CONDITIONS.map((type): [string, PartOutcome] => [type, parts[type]])];
  return outcomes.map(([type, outcome]) => {
    const before = previous?.find((c) => c.type === type);
    return {
      type,
      status: outcome.status,
      reason: outcome.reason,
      message: outcome.message,
      observedGeneration: generation,
      lastTransitionTime: before !== undefined && before.status === outcome.status ? before.lastTransitionTime : conditionTime(now),
    };
  });
}

/** Previous part outcomes (Unknown when never computed), so a failure can change one part and keep the rest. */
export function previousParts(previous: readonly Condition[] | undefined): Record<PartCondition, PartOutcome> {
  const entries = PART_CONDITIONS.map((type): [PartCondition, PartOutcome] => {
    const c = previous?.find((x) => x.type === type);
    return [type, c === undefined ? { status: 'Unknown', reason: 'Pending', message: 'Not reconciled yet.' } : { status: c.status, reason: c.reason, message: c.message }];
  });
  return Object.fromEntries(entries) as Record<PartCondition, PartOutcome>;
}
