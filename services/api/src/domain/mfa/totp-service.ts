import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import type { Clock } from '@lanyard/clock';
import { totpFactors, type Executor, type TotpFactor, type User } from '@lanyard/db';
import type { EnvelopeCipher } from '@lanyard/security';
import { checkTotpCode, newTotpSecret, type TotpCheck } from './totp-code.js';

/** Associated data of a user's TOTP ciphertext: a secret copied into another row does not decrypt. */
const aad = (userId: string) => `totp:${userId}`;

export type EnrolmentStart = { readonly kind: 'started'; readonly secret: Buffer } | { readonly kind: 'already_enrolled' };

/**
 * A user's authenticator app. Rules:
 * - enrolment stores a new secret unconfirmed; only a first right code confirms it, so a secret
 *   the user never scanned cannot lock them out;
 * - starting again before confirming replaces the pending secret (a QR code that was never
 *   scanned is useless anyway); a confirmed factor must be removed first;
 * - a code is accepted once: the step it belongs to is recorded in the same UPDATE that accepts it
 *   (`last_used_step < step`), so two parallel submissions of one code cannot both pass.
 */
export class TotpService {
  constructor(
    private readonly db: Executor,
    private readonly cipher: EnvelopeCipher,
    private readonly clock: Clock,
  ) {}

  async find(userId: string, executor: Executor = this.db): Promise<TotpFactor | undefined> {
    const [row] = await executor.select().from(totpFactors).where(eq(totpFactors.userId, userId));
    return row;
  }

  /** Whether the user has a confirmed authenticator app. */
  async isEnrolled(userId: string): Promise<boolean> {
    const row = await this.find(userId);
    return row !== undefined && row.confirmedAt !== null;
  }

  async startEnrolment(user: User): Promise<EnrolmentStart> {
    const secret = newTotpSecret();
    const encrypted = this.cipher.encrypt(secret, aad(user.id));
    const rows = await this.db
      .insert(totpFactors)
      .values({ userId: user.id, tenantId: user.tenantId, secret: encrypted, createdAt: this.clock() })
      .onConflictDoUpdate({ target: totpFactors.userId, set: { secret: encrypted, createdAt: this.clock(), lastUsedStep: null, lastUsedAt: null }, setWhere: isNull(totpFactors.confirmedAt) })
      .returning({ userId: totpFactors.userId });
    return rows.length === 0 ? { kind: 'already_enrolled' } : { kind: 'started', secret };
  }

  /** The pending secret, to show its QR code again (e.g. after a wrong first code). */
  async pendingSecret(userId: string): Promise<Buffer | undefined> {
    const row = await this.find(userId);
    return row === undefined || row.confirmedAt !== null ? undefined : this.cipher.decrypt(row.secret, aad(userId));
  }

  /** Confirms a pending enrolment with its first code. */
  async confirm(userId: string, code: string, executor: Executor = this.db): Promise<TotpCheck | { ok: false; reason: 'not_pending' }> {
    const row = await this.find(userId, executor);
    if (row === undefined || row.confirmedAt !== null) return { ok: false, reason: 'not_pending' };
    const now = this.clock();
    const check = checkTotpCode(this.cipher.decrypt(row.secret, aad(userId)), code, now, null);
    if (!check.ok) return check;
    const confirmed = await executor
      .update(totpFactors)
      .set({ confirmedAt: now, lastUsedStep: check.step, lastUsedAt: now })
      .where(and(eq(totpFactors.userId, userId), isNull(totpFactors.confirmedAt), eq(totpFactors.secret, row.secret)))
      .returning({ userId: totpFactors.userId });
    return confirmed.length === 1 ? check : { ok: false, reason: 'not_pending' };
  }

  /** Checks a sign-in code against the confirmed factor; `not_enrolled` when there is none. */
  async verify(userId: string, code: string): Promise<TotpCheck | { ok: false; reason: 'not_enrolled' }> {
    const row = await this.find(userId);
    if (row === undefined || row.confirmedAt === null) return { ok: false, reason: 'not_enrolled' };
    const now = this.clock();
    const check = checkTotpCode(this.cipher.decrypt(row.secret, aad(userId)), code, now, row.lastUsedStep);
    if (!check.ok) return check;
    const accepted = await this.db
      .update(totpFactors)
      .set({ lastUsedStep: check.step, lastUsedAt: now })
      .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, check.step))))
      .returning({ userId: totpFactors.userId });
    // Lost the race to a parallel submission of the same (or a later) code.
    return accepted.length === 1 ? check : { ok: false, reason: 'replayed' };
  }

  /** Removes the factor, confirmed or pending; whether there was one. */
  async remove(userId: string, executor: Executor = this.db): Promise<boolean> {
    const removed = await executor.delete(totpFactors).where(eq(totpFactors.userId, userId)).returning({ userId: totpFactors.userId });
    return removed.length > 0;
  }
}
