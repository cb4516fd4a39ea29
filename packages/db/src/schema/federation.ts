import { boolean, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant, updatedAt } from './columns.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

/** Which upstream claims mean what (docs/reference/federation.md); absent ones take their OIDC name. */
export interface ProviderClaimMapping {
  subject?: string;
  email?: string;
  emailVerified?: string;
  name?: string;
}

/**
 * An upstream OpenID Connect provider a tenant trusts for sign-in. The client secret is stored
 * encrypted (AES-256-GCM under a key derived from KEY_ENCRYPTION_KEY, bound to the row); only a
 * short fingerprint of it is ever shown.
 */
export const identityProviders = pgTable(
  'identity_providers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    displayName: text('display_name').notNull(),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    clientSecret: bytea('client_secret'),
    clientSecretFingerprint: text('client_secret_fingerprint'),
    scopes: text('scopes').array().notNull(),
    claims: jsonb('claims').$type<ProviderClaimMapping>().notNull().default({}),
    linking: text('linking', { enum: ['just-in-time', 'verified-email', 'existing-only'] }).notNull(),
    disabled: boolean('disabled').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [unique('identity_providers_tenant_name').on(t.tenantId, t.name)],
);

/** A local account's identity at an upstream provider: (provider, subject) belongs to one user. */
export const upstreamIdentities = pgTable(
  'upstream_identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    providerId: uuid('provider_id').notNull().references(() => identityProviders.id, { onDelete: 'cascade' }),
    subject: text('subject').notNull(),
    createdAt: createdAt(),
    lastSignInAt: instant('last_sign_in_at'),
  },
  (t) => [unique('upstream_identities_provider_subject').on(t.providerId, t.subject)],
);

export type IdentityProvider = typeof identityProviders.$inferSelect;
export type UpstreamIdentity = typeof upstreamIdentities.$inferSelect;
