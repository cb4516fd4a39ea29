import type { ClientSecretInfo } from '@lanyard/contracts';

/**
 * Registered secrets other than the current one, split into those whose grace period is over
 * (remove now) and the time the next one will be. The grace period runs from the current secret's
 * registration, so it needs no bookkeeping of its own: the identity service's `createdAt` is the
 * record. A secret nobody knows about (added by hand) is removed once the grace period is over too:
 * the spec says which secret is valid, the identity service must not hold others.
 */
export function staleSecrets(
  registered: readonly ClientSecretInfo[],
  currentId: string,
  graceSeconds: number,
  now: Date,
): { remove: string[]; nextAt?: Date } {
  const current = registered.find((s) => s.id === currentId);
  if (current === undefined) return { remove: [] };
  const others = registered.filter((s) => s.id !== currentId);
  if (others.length === 0) return { remove: [] };
  const graceEnds = new Date(new Date(current.createdAt).getTime() + graceSeconds * 1000);
  return graceEnds <= now ? { remove: others.map((s) => s.id) } : { remove: [], nextAt: graceEnds };
}

/**
 * Before registering another secret, the identity service must have room (at most two are active,
 * docs/reference/admin-api.md "Secrets and rotation"): the oldest secret not in `keep` goes first,
 * which shortens the oldest grace period rather than failing the rotation.
 */
export function secretsToMakeRoom(registered: readonly ClientSecretInfo[], keep: readonly string[], now: Date, maxActive = 2): string[] {
  const active = registered.filter((s) => s.expiresAt === null || new Date(s.expiresAt) > now);
  const candidates = active.filter((s) => !keep.includes(s.id)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return candidates.slice(0, Math.max(0, active.length - maxActive + 1)).map((s) => s.id);
}
