import { boolean, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { createdAt, instant, updatedAt } from './columns.js';
import { tenants } from './tenants.js';

/** OIDC Core §5.1.1 address claim. */
export interface UserAddress {
  formatted?: string;
  street_address?: string;
  locality?: string;
  region?: string;
  postal_code?: string;
  country?: string;
}

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    /** Stored lower-cased and trimmed so uniqueness is per mailbox, not per spelling. */
    email: text('email').notNull(),
    emailVerified: boolean('email_verified').notNull().default(false),
    name: text('name'),
    /** OIDC Core §5.1 standard claims, released by scope (profile, phone, address). */
    givenName: text('given_name'),
    familyName: text('family_name'),
    middleName: text('middle_name'),
    nickname: text('nickname'),
    preferredUsername: text('preferred_username'),
    profile: text('profile'),
    picture: text('picture'),
    website: text('website'),
    gender: text('gender'),
    /** ISO 8601 `YYYY-MM-DD`, or `0000-MM-DD` when the year is withheld (§5.1). */
    birthdate: text('birthdate'),
    zoneinfo: text('zoneinfo'),
    locale: text('locale'),
    phoneNumber: text('phone_number'),
    phoneNumberVerified: boolean('phone_number_verified').notNull().default(false),
    /** §5.1.1 address: formatted, street_address, locality, region, postal_code, country. */
    address: jsonb('address').$type<UserAddress>(),
    /** Argon2id PHC string; null for users who only log in through a federated provider. */
    passwordHash: text('password_hash'),
    disabled: boolean('disabled').notNull().default(false),
    passwordChangedAt: instant('password_changed_at'),
    /**
     * Under a tenant policy that requires a second factor: when this user's grace period for
     * enrolling one ends (set at their first sign-in under the policy).
     */
    mfaEnrolmentDueAt: instant('mfa_enrolment_due_at'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('users_tenant_email').on(t.tenantId, t.email)],
);

export type User = typeof users.$inferSelect;
