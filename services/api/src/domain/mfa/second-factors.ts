import { and, eq, isNull, sql, TransactionRollbackError } from 'drizzle-orm';
import type { Clock } from '@lanyard/clock';
import { AccessDenied } from '@lanyard/errors';
import { totpFactors, users, webauthnCredentials, type Executor, type Tenant, type User, type WebauthnCredential } from '@lanyard/db';
import { AMR_MFA } from '../tokens/authentication-context.js';
import type { TenantLookup } from '../tenants/tenant-service.js';
import type { UserService } from '../users/user-service.js';
import { mfaPolicy } from './mfa-policy.js';
import type { PasskeyService } from './passkey-service.js';
import type { RecoveryCodeService } from './recovery-code-service.js';
import type { TotpService } from './totp-service.js';
import { lockUserRow } from '../users/lock-user-row.js';

/** How removing one second factor ended; `removed` is what went. */
export type FactorRemoval<T> =
  | { readonly kind: 'removed'; readonly removed: T; readonly factorsLeft: boolean; readonly codesRemoved: boolean }
  | { readonly kind: 'unknown' }
  | { readonly kind: 'last_factor' };

/** What a sign-in still needs after its first factor. */
export type SecondFactorStep =
  | { readonly kind: 'none' }
  /** The user has a second factor: they must use it. */
  | { readonly kind: 'verify' }
  /** The user must enrol one now; `deferrableUntil` when the tenant's grace period still runs. */
  | { readonly kind: 'enrol'; readonly deferrableUntil?: Date };

export interface SecondFactorContext {
  /** The RFC 8176 methods achieved so far. */
  readonly amr: readonly string[];
  /** The client requires MFA, or the request asked for it (`acr_values`, essential `acr`). */
  readonly demanded: boolean;
  /** The user already chose "not now" for the tenant's enrolment request during this sign-in. */
  readonly deferred: boolean;
}

export interface FactorOverview {
  readonly totp: { readonly createdAt: Date; readonly lastUsedAt: Date | null } | undefined;
  readonly recoveryCodes: { readonly remaining: number; readonly createdAt: Date; readonly lastUsedAt: Date | null } | undefined;
  readonly passkeys: readonly WebauthnCredential[];
  readonly enrolmentDueAt: Date | null;
}

/** What the authorization flow asks: the step due for this user at this tenant. */
export interface SecondFactorGate {
  stepFor(tenantName: string, userId: string, context: SecondFactorContext): Promise<SecondFactorStep>;
}

/**
 * A user's second factors as a whole, and the rule of when a sign-in needs one
 * (docs/reference/mfa.md):
 * - a sign-in that already used two factors needs nothing more;
 * - a user who has a second factor always uses it, whatever the policy;
 * - otherwise a client that requires MFA, or a request for `urn:lanyard:acr:mfa`, makes the user enrol
 *   one before going on;
 * - under a tenant policy of `required`, the user's grace period starts at their first sign-in
 *   under it; until it ends they may defer enrolment, after it they must enrol.
 */
export class SecondFactors implements SecondFactorGate {
  constructor(
    private readonly db: Executor,
    readonly totp: TotpService,
    readonly recoveryCodes: RecoveryCodeService,
    readonly passkeys: PasskeyService,
    private readonly lookups: { readonly tenants: Pick<TenantLookup, 'find'>; readonly users: Pick<UserService, 'findById'> },
    private readonly clock: Clock,
  ) {}

  async stepFor(tenantName: string, userId: string, context: SecondFactorContext): Promise<SecondFactorStep> {
    if (context.amr.includes(AMR_MFA)) return { kind: 'none' };
    const tenant = await this.lookups.tenants.find(tenantName);
    const user = tenant === undefined ? undefined : await this.lookups.users.findById(tenant.id, userId);
    // Both were just used to sign in; gone now means deleted meanwhile, and nothing may continue.
    if (tenant === undefined || user === undefined || user.disabled) throw new AccessDenied('This account can no longer sign in.', { detail: 'user deleted or disabled during sign-in' });
    return this.nextStep(tenant, user, context);
  }

  /** An authenticator app or a passkey; recovery codes only back them up. */
  async hasAny(userId: string, executor: Executor = this.db): Promise<boolean> {
    // One round trip: every signed-in authorization request asks this.
    const result = await executor.execute<{ has_factor: boolean }>(
      sql`select exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${userId} and ${totpFactors.confirmedAt} is not null) or exists (select 1 from ${webauthnCredentials} where ${webauthnCredentials.userId} = ${userId}) as has_factor`,
    );
    return result.rows[0]?.has_factor === true;
  }

  async nextStep(tenant: Tenant, user: User, context: SecondFactorContext): Promise<SecondFactorStep> {
    if (context.amr.includes(AMR_MFA)) return { kind: 'none' };
    if (await this.hasAny(user.id)) return { kind: 'verify' };
    if (context.demanded) return { kind: 'enrol' };
    const policy = mfaPolicy(tenant);
    if (policy.policy !== 'required') return { kind: 'none' };
    const due = await this.enrolmentDeadline(user, policy.enrolmentGraceDays);
    if (this.clock().getTime() >= due.getTime()) return { kind: 'enrol' };
    return context.deferred ? { kind: 'none' } : { kind: 'enrol', deferrableUntil: due };
  }

  /** The user's deadline, set once at the first sign-in that needs it (so racing sign-ins agree). */
  async enrolmentDeadline(user: User, graceDays: number): Promise<Date> {
    if (user.mfaEnrolmentDueAt !== null) return user.mfaEnrolmentDueAt;
    const due = new Date(this.clock().getTime() + graceDays * 86_400_000);
    const [set] = await this.db
      .update(users)
      .set({ mfaEnrolmentDueAt: due })
      .where(and(eq(users.id, user.id), isNull(users.mfaEnrolmentDueAt)))
      .returning({ due: users.mfaEnrolmentDueAt });
    if (set?.due !== undefined && set.due !== null) return set.due;
    const [row] = await this.db.select({ due: users.mfaEnrolmentDueAt }).from(users).where(eq(users.id, user.id));
    return row?.due ?? due;
  }

  async overview(user: User): Promise<FactorOverview> {
    const totp = await this.totp.find(user.id);
    const codes = await this.recoveryCodes.summary(user.id);
    return {
      totp: totp === undefined || totp.confirmedAt === null ? undefined : { createdAt: totp.confirmedAt, lastUsedAt: totp.lastUsedAt },
      recoveryCodes: codes,
      passkeys: await this.passkeys.list(user.id),
      enrolmentDueAt: user.mfaEnrolmentDueAt,
    };
  }

  /**
   * Removes every second factor of the user in one transaction (an admin reset). Whether any existed.
   */
  async removeAll(userId: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      await lockUserRow(tx, userId);
      const totp = await this.totp.remove(userId, tx);
      const codes = await this.recoveryCodes.remove(userId, tx);
      const passkeys = await this.passkeys.removeAll(userId, tx);
      return totp || codes || passkeys;
    });
  }

  /** The user removing their authenticator app (a set-up in progress counts); see {@link #removeFactor}. */
  async removeAuthenticatorApp(userId: string, keepOneFactor: boolean): Promise<FactorRemoval<true>> {
    return this.#removeFactor(userId, keepOneFactor, async (tx) => ((await this.totp.remove(userId, tx)) ? true : undefined));
  }

  /** The user removing one of their passkeys; see {@link #removeFactor}. */
  async removePasskey(userId: string, id: string, keepOneFactor: boolean): Promise<FactorRemoval<WebauthnCredential>> {
    return this.#removeFactor(userId, keepOneFactor, (tx) => this.passkeys.remove(userId, id, tx));
  }

  /**
   * One factor removed by its owner, under the user's row lock (so a racing removal sees this
   * one's): `unknown` when there was none; `last_factor`, with nothing changed, when
   * `keepOneFactor` (the tenant requires a second factor) and it was the user's only one. Recovery
   * codes stand in for a second factor, so the last one to go takes them along; any factor left
   * keeps them.
   */
  async #removeFactor<T>(userId: string, keepOneFactor: boolean, remove: (tx: Executor) => Promise<T | undefined>): Promise<FactorRemoval<T>> {
    return this.db
      .transaction(async (tx): Promise<FactorRemoval<T>> => {
        await lockUserRow(tx, userId);
        const removed = await remove(tx);
        if (removed === undefined) return { kind: 'unknown' };
        const factorsLeft = await this.hasAny(userId, tx);
        // The only factor is put back whole (its counter, dates and name) by rolling back.
        if (!factorsLeft && keepOneFactor) tx.rollback();
        const codesRemoved = !factorsLeft && (await this.recoveryCodes.remove(userId, tx));
        return { kind: 'removed', removed, factorsLeft, codesRemoved };
      })
      .catch((error: unknown): FactorRemoval<T> => {
        if (error instanceof TransactionRollbackError) return { kind: 'last_factor' };
        throw error;
      });
  }
}
