import { check, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt, updatedAt } from './columns.js';

/**
 * Per-tenant overrides of the server's rate limits (docs/reference/rate-limits.md); an absent
 * field means the server default from configuration.
 */
export interface TenantRateLimits {
  /** Token requests per minute per authenticated client. */
  tokenPerMinute?: number;
  /** Failed sign-ins per account and IP network before that network is locked out. */
  loginLockoutFailures?: number;
  loginLockoutSeconds?: number;
  /** Failed sign-ins per account from all networks before password sign-in locks account-wide. */
  loginAccountLockoutFailures?: number;
}

/**
 * Self-service account policy (docs/reference/accounts.md); absent fields take the defaults of
 * services/api/src/domain/accounts/account-policy.ts.
 */
export interface TenantAccounts {
  signup?: 'open' | 'invite-only' | 'closed';
  requireVerifiedEmail?: boolean;
  passwordMinLength?: number;
  emailFromName?: string;
  emailFromAddress?: string;
}

/**
 * Second-factor policy (docs/reference/mfa.md); absent fields take the defaults of
 * services/api/src/domain/mfa/mfa-policy.ts.
 */
export interface TenantMfa {
  /** `optional`: users may enrol a second factor; `required`: every user must. */
  policy?: 'optional' | 'required';
  /** Under `required`: days from a user's first sign-in under the policy until enrolment is forced. */
  enrolmentGraceDays?: number;
}

/** A tenant is an issuer: `{PUBLIC_URL}/tenants/{name}`. */
export const tenants = pgTable(
  'tenants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** DNS label (RFC 1123); the issuer path segment. */
    name: text('name').notNull().unique(),
    displayName: text('display_name').notNull(),
    /** Who owns the declaration, e.g. `lanyard-operator`; informational, shown to admins. */
    managedBy: text('managed_by'),
    rateLimits: jsonb('rate_limits').$type<TenantRateLimits>().notNull().default({}),
    accounts: jsonb('accounts').$type<TenantAccounts>().notNull().default({}),
    mfa: jsonb('mfa').$type<TenantMfa>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [check('tenants_name_dns_label', sql`${t.name} ~ '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$'`)],
);

export type Tenant = typeof tenants.$inferSelect;
