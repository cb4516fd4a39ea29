import { and, count, eq, isNull, max, min, sql } from 'drizzle-orm';
import type { Clock } from '@lanyard/clock';
import { recoveryCodes, type Executor } from '@lanyard/db';
import type { SecretHasher } from '@lanyard/security';
import { newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODES_PER_SET } from './recovery-code-format.js';

export interface RecoveryCodeSummary {
  readonly remaining: number;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/**
 * A user's recovery codes. Rules:
 * - a set is ten codes; generating a set replaces the previous one whole, in one transaction, so
 *   codes of an old set never work again;
 * - the codes are returned once, to be shown once; only keyed hashes are stored;
 * - a code is used up by the same UPDATE that accepts it (`used_at is null`), so one code cannot
 *   sign in twice, even in parallel.
 */
export class RecoveryCodeService {
  constructor(
    private readonly db: Executor,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
  ) {}

  async generate(userId: string, executor: Executor = this.db): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODES_PER_SET }, newRecoveryCode);
    const now = this.clock();
    await executor.transaction(async (tx) => {
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: this.hasher.hash(normalizeRecoveryCode(code)!), createdAt: now })));
    });
    return codes;
  }

  /** Uses up `typed` if it is an unused code of the user's set: its id and the codes left, or undefined. */
  async consume(userId: string, typed: string): Promise<{ id: string; remaining: number } | undefined> {
    const code = normalizeRecoveryCode(typed);
    if (code === undefined) return undefined;
    const used = await this.db
      .update(recoveryCodes)
      .set({ usedAt: this.clock() })
      .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, this.hasher.hash(code)), isNull(recoveryCodes.usedAt)))
      .returning({ id: recoveryCodes.id });
    if (used.length === 0) return undefined;
    return { id: used[0]!.id, remaining: (await this.summary(userId))?.remaining ?? 0 };
  }

  /** The user's set, or undefined when they have none. */
  async summary(userId: string): Promise<RecoveryCodeSummary | undefined> {
    const [row] = await this.db
      .select({ total: count(), unused: sql<number>`(count(*) filter (where ${recoveryCodes.usedAt} is null))::int`, createdAt: min(recoveryCodes.createdAt), lastUsedAt: max(recoveryCodes.usedAt) })
      .from(recoveryCodes)
      .where(eq(recoveryCodes.userId, userId));
    if (row === undefined || row.total === 0 || row.createdAt === null) return undefined;
    return { remaining: row.unused, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
  }

  async remove(userId: string, executor: Executor = this.db): Promise<boolean> {
    const removed = await executor.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId)).returning({ id: recoveryCodes.id });
    return removed.length > 0;
  }
}
