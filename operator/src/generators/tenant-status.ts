import type { Condition, IdentityTenant, IdentityTenantClientStatus, IdentityTenantStatus } from '@lanyard/crd';
import { buildConditions, previousParts, type PartCondition, type PartOutcome } from './tenant-conditions.js';

/** Inputs of {@link tenantStatus}. */
export interface TenantStatusInput {
  readonly tenant: IdentityTenant;
  readonly issuer: string | undefined;
  readonly clients: readonly IdentityTenantClientStatus[];
  readonly parts: Readonly<Record<PartCondition, PartOutcome>>;
  readonly now: Date;
}

/** The status after a completed reconcile: observedGeneration moves to the reconciled generation. */
export function tenantStatus({ tenant, issuer, clients, parts, now }: TenantStatusInput): IdentityTenantStatus {
  const generation = tenant.metadata.generation ?? 0;
  const ready = clients.filter((c) => c.ready).length;
  return {
    observedGeneration: generation,
    ...(issuer === undefined ? {} : { issuer }),
    clientsReady: `${ready}/${clients.length}`,
    clients: [...clients],
    conditions: buildConditions(tenant.status?.conditions, parts, generation, now),
  };
}

/**
 * The status after a failed reconcile: Ready=False with the failure's reason, and the failing part
 * too when the failure belongs to one; everything else is kept as last observed, and
 * observedGeneration does not advance, because this generation was not reconciled.
 */
export function failedTenantStatus(tenant: IdentityTenant, failure: PartOutcome, part: PartCondition | undefined, now: Date): IdentityTenantStatus {
  const previous = tenant.status ?? {};
  const parts = part === undefined ? previousParts(previous.conditions) : { ...previousParts(previous.conditions), [part]: failure };
  const conditions: Condition[] = buildConditions(previous.conditions, parts, tenant.metadata.generation ?? 0, now, failure);
  return { ...previous, conditions };
}

/** Order-insensitive deep equality of two statuses (the API server may reorder object keys). */
export function sameStatus(a: IdentityTenantStatus | undefined, b: IdentityTenantStatus): boolean {
  return canonical(a ?? {}) === canonical(b);
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}
