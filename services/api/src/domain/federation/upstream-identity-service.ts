import { and, eq, sql } from 'drizzle-orm';
import type { Clock } from '@lanyard/clock';
import { upstreamIdentities, users, type Executor, type IdentityProvider, type Tenant, type UpstreamIdentity, type User } from '@lanyard/db';
import { normalizeEmail } from '../users/user-service.js';

/** What the upstream said about the person, after the provider's claim mapping. */
export interface UpstreamProfile {
  readonly subject: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  readonly name: string | undefined;
}

export type LinkOutcome =
  | { readonly ok: true; readonly user: User; readonly created: boolean; readonly linked: boolean }
  | { readonly ok: false; readonly reason: 'unknown_user' | 'email_not_verified' | 'user_disabled' };

export type AdminLinkOutcome =
  | { readonly ok: true; readonly created: boolean; readonly link: UpstreamIdentity }
  | { readonly ok: false; readonly reason: 'subject_taken' | 'provider_linked' };

/**
 * A subject sign-in takes, and so the only kind an admin may link: 1–255 UTF-16 units (OIDC Core
 * §2 allows 255 ASCII characters), no control character, no lone surrogate (the driver would
 * store U+FFFD instead, so two different subjects could meet in one link).
 */
export function isUsableSubject(subject: unknown): subject is string {
  return typeof subject === 'string' && subject.length > 0 && subject.length <= 255 && !/[\p{Cc}\p{Cs}]/u.test(subject);
}

/** Reads the mapped claims of a validated ID token; undefined when the subject is missing or odd. */
export function upstreamProfile(provider: IdentityProvider, claims: Readonly<Record<string, unknown>>): UpstreamProfile | undefined {
  const pick = (name: string | undefined, fallback: string) => claims[name ?? fallback];
  const subject = pick(provider.claims.subject, 'sub');
  if (!isUsableSubject(subject)) return undefined;
  const email = pick(provider.claims.email, 'email');
  const name = pick(provider.claims.name, 'name');
  const usableEmail = typeof email === 'string' && email.length <= 254 && /^[^\s@]{1,64}@[^\s@]{1,252}$/.test(email) ? normalizeEmail(email) : undefined;
  return {
    subject,
    email: usableEmail,
    // OIDC Core §5.1: anything but the boolean true (a string "true" included) is not verified.
    emailVerified: usableEmail !== undefined && pick(provider.claims.emailVerified, 'email_verified') === true,
    name: typeof name === 'string' && name.length > 0 && name.length <= 200 && !/\p{Cc}/u.test(name) ? name : undefined,
  };
}

/**
 * Finds, links or creates the local account of an upstream identity (docs/reference/federation.md):
 * - an identity already linked signs in as its user, whatever the rule;
 * - `existing-only`: nothing else signs in;
 * - `verified-email`: an account with the same address is linked, only when the upstream says the
 *   address is verified; no account, no sign-in;
 * - `just-in-time`: the same, and without an account one is created (no password; the address
 *   verified only if the upstream verified it). An account with that address is never linked
 *   through an unverified one: that would hand it to whoever controls the upstream claim.
 * - an account already linked to another subject at this provider is not linked again by address
 *   (an address recycled at the upstream must not inherit the account; an admin can relink).
 * The link is one unique row per (provider, subject), so two parallel first sign-ins make one.
 */
export class UpstreamIdentityService {
  constructor(
    private readonly db: Executor,
    private readonly clock: Clock,
  ) {}

  async resolve(tenant: Tenant, provider: IdentityProvider, profile: UpstreamProfile): Promise<LinkOutcome> {
    const now = this.clock();
    return this.db.transaction(async (tx) => {
      const [linked] = await tx
        .select({ user: users })
        .from(upstreamIdentities)
        .innerJoin(users, eq(users.id, upstreamIdentities.userId))
        .where(and(eq(upstreamIdentities.providerId, provider.id), eq(upstreamIdentities.subject, profile.subject)));
      if (linked !== undefined) {
        if (linked.user.disabled) return { ok: false, reason: 'user_disabled' } as const;
        await tx.update(upstreamIdentities).set({ lastSignInAt: now }).where(and(eq(upstreamIdentities.providerId, provider.id), eq(upstreamIdentities.subject, profile.subject)));
        return { ok: true, user: linked.user, created: false, linked: false } as const;
      }
      if (provider.linking === 'existing-only') return { ok: false, reason: 'unknown_user' } as const;
      if (profile.email === undefined || !profile.emailVerified) return { ok: false, reason: profile.email === undefined && provider.linking === 'just-in-time' ? 'unknown_user' : 'email_not_verified' } as const;
      // Locked: a parallel sign-in of another subject with this address must see the link made here.
      const [existing] = await tx.select().from(users).where(and(eq(users.tenantId, tenant.id), eq(users.email, profile.email))).for('update');
      // An account already bound to another subject at this provider stays bound to it: a new
      // subject with the same address is a recycled address or a new account there, not its owner.
      if (existing !== undefined && (await this.#linkedAt(tx, existing.id, provider.id))) return { ok: false, reason: 'unknown_user' } as const;
      let user = existing;
      let created = false;
      if (user === undefined) {
        if (provider.linking !== 'just-in-time') return { ok: false, reason: 'unknown_user' } as const;
        const [inserted] = await tx
          .insert(users)
          .values({ tenantId: tenant.id, email: profile.email, emailVerified: true, name: profile.name ?? null, passwordHash: null, createdAt: now, updatedAt: now })
          .onConflictDoNothing()
          .returning();
        if (inserted === undefined) return { ok: false, reason: 'unknown_user' } as const;
        user = inserted;
        created = true;
      }
      if (user.disabled) return { ok: false, reason: 'user_disabled' } as const;
      const [link] = await tx
        .insert(upstreamIdentities)
        .values({ userId: user.id, providerId: provider.id, subject: profile.subject, createdAt: now, lastSignInAt: now })
        .onConflictDoNothing()
        .returning({ userId: upstreamIdentities.userId });
      // A parallel first sign-in linked it a moment ago: it is that link that counts.
      if (link === undefined) {
        const [winner] = await tx.select({ userId: upstreamIdentities.userId }).from(upstreamIdentities).where(and(eq(upstreamIdentities.providerId, provider.id), eq(upstreamIdentities.subject, profile.subject)));
        if (winner?.userId !== user.id) return { ok: false, reason: 'unknown_user' } as const;
      }
      return { ok: true, user, created, linked: true } as const;
    });
  }

  /**
   * Removes the user's link to a provider, only when another way to sign in remains: a password,
   * a passkey, or another link. In one transaction, so two parallel unlinks cannot both pass.
   */
  async unlink(userId: string, providerId: string, hasPasskey: boolean): Promise<'unlinked' | 'not_linked' | 'last_way_in'> {
    return this.db.transaction(async (tx) => {
      const [user] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).for('update');
      const linkedRows = await tx.select({ providerId: upstreamIdentities.providerId }).from(upstreamIdentities).where(eq(upstreamIdentities.userId, userId));
      if (!linkedRows.some((l) => l.providerId === providerId)) return 'not_linked';
      const otherWay = (user?.passwordHash ?? null) !== null || hasPasskey || linkedRows.length > 1;
      if (!otherWay) return 'last_way_in';
      await tx.delete(upstreamIdentities).where(and(eq(upstreamIdentities.userId, userId), eq(upstreamIdentities.providerId, providerId)));
      return 'unlinked';
    });
  }

  /**
   * An admin's link (pre-provisioning, a migration from another provider): `subject` at the
   * provider signs in as this user from now on, whatever the provider's linking rule. Idempotent for
   * the same subject; refused when the subject belongs to another user, or when this user already
   * has another subject there (one person, one identity per provider: unlink that one first). The
   * user row is locked, so two parallel links for one user cannot both pass the second rule.
   */
  async link(userId: string, providerId: string, subject: string): Promise<AdminLinkOutcome> {
    const now = this.clock();
    return this.db.transaction(async (tx) => {
      await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
      const [existing] = await tx.select().from(upstreamIdentities).where(and(eq(upstreamIdentities.userId, userId), eq(upstreamIdentities.providerId, providerId)));
      if (existing !== undefined) return existing.subject === subject ? { ok: true, created: false, link: existing } : { ok: false, reason: 'provider_linked' };
      const [link] = await tx.insert(upstreamIdentities).values({ userId, providerId, subject, createdAt: now, lastSignInAt: null }).onConflictDoNothing().returning();
      return link === undefined ? { ok: false, reason: 'subject_taken' } : { ok: true, created: true, link };
    });
  }

  /** An admin's unlink: no "last way in" rule, as an admin may cut a compromised identity off. */
  async removeLink(userId: string, providerId: string): Promise<boolean> {
    const removed = await this.db
      .delete(upstreamIdentities)
      .where(and(eq(upstreamIdentities.userId, userId), eq(upstreamIdentities.providerId, providerId)))
      .returning({ id: upstreamIdentities.id });
    return removed.length > 0;
  }

  async #linkedAt(tx: Executor, userId: string, providerId: string): Promise<boolean> {
    const rows = await tx.select({ id: upstreamIdentities.id }).from(upstreamIdentities).where(and(eq(upstreamIdentities.userId, userId), eq(upstreamIdentities.providerId, providerId)));
    return rows.length > 0;
  }

  /** The providers a user is linked to (for the account page and admins). */
  async linkedTo(userId: string): Promise<Array<{ providerId: string; subject: string; createdAt: Date; lastSignInAt: Date | null }>> {
    return this.db
      .select({ providerId: upstreamIdentities.providerId, subject: upstreamIdentities.subject, createdAt: upstreamIdentities.createdAt, lastSignInAt: upstreamIdentities.lastSignInAt })
      .from(upstreamIdentities)
      .where(eq(upstreamIdentities.userId, userId))
      .orderBy(sql`${upstreamIdentities.createdAt}`);
  }
}
