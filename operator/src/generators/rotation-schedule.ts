/** Inputs of {@link rotationDue}. */
export interface RotationInput {
  /** When the current secret was registered. */
  readonly createdAt: Date;
  /** Rotation period in days; 0 disables periodic rotation. */
  readonly periodDays: number;
  /** `spec.clients[].rotation.generation` (0 when absent). */
  readonly specGeneration: number;
  /** The generation the stored secret satisfies. */
  readonly storedGeneration: number;
  readonly now: Date;
}

const DAY_MS = 86_400_000;

/**
 * Whether the current secret must be rotated now, and if not, when it will be (so the queue can
 * wake up then). A changed `rotation.generation` rotates immediately, whatever the period.
 */
export function rotationDue(input: RotationInput): { due: boolean; nextAt?: Date } {
  if (input.specGeneration !== input.storedGeneration) return { due: true };
  if (input.periodDays <= 0) return { due: false };
  const nextAt = new Date(input.createdAt.getTime() + input.periodDays * DAY_MS);
  return nextAt <= input.now ? { due: true } : { due: false, nextAt };
}
