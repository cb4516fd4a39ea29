import { and, count, eq, isNull, max, min, sql } from 'drizzle-orm';
import type { Clock } from '@lanyard/clock';
import { recoveryCodes, type Executor } from '@lanyard/db';
import { lockUserRow } from '../users/lock-user-row.js';
import type { SecretHasher } from '@lanyard/security';
import { newRecoveryCode, normalizeRecoveryCode, RECOVERY_CODES_PER_SET } from './recovery-code-format.js';

export interface RecoveryCodeSummary {
  readonly remaining: number;
  readonly createdAt: Date;
  readonly lastUsedAt: Date | null;
}

/**
 * A user's recovery codes: the way back in when every second factor is lost. Rules:
 * - a set is ten codes; generating a set replaces the previous one whole, in one transaction, so
 *   codes of an old set never work again;
 * - every change to a user's set first locks the user's row, so two racing requests (an app
 *   confirmed in one tab while a passkey is added in another) leave one whole set, never a mix;
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

  /** A new set that replaces the user's current one (shown once). */
  async generate(userId: string, executor: Executor = this.db): Promise<string[]> {
    return (await this.#write(userId, executor, 'replace'))!;
  }

  /** A first set, for a user's first second factor; undefined when they have a set already. */
  async generateFirst(userId: string, executor: Executor = this.db): Promise<string[] | undefined> {
    return this.#write(userId, executor, 'first');
  }

  async #write(userId: string, executor: Executor, mode: 'replace' | 'first'): Promise<string[] | undefined> {
    const codes = Array.from({ length: RECOVERY_CODES_PER_SET }, newRecoveryCode);
    const now = this.clock();
    return executor.transaction(async (tx) => {
      await lockUserRow(tx, userId);
      if (mode === 'first' && (await this.summary(userId, tx)) !== undefined) return undefined;
      await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
      await tx.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: this.hasher.hash(normalizeRecoveryCode(code)!), createdAt: now })));
      return codes;
    });
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
  async summary(userId: string, executor: Executor = this.db): Promise<RecoveryCodeSummary | undefined> {
    const [row] = await executor
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
