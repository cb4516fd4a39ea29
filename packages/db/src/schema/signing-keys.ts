import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.js';
import { tenants } from './tenants.js';

/**
 * Per-tenant signing keys. Lifecycle: published (in JWKS) at `createdAt`, signs from `activatesAt`
 * (after caches had time to see it), stops signing at `retiredAt`, and leaves the JWKS at `expiresAt`
 * (after the longest-lived token it signed has expired).
 */
export const signingKeys = pgTable(
  'signing_keys',
  {
    kid: text('kid').primaryKey(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    alg: text('alg').notNull(),
    publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
    /** PKCS#8 DER encrypted with AES-256-GCM under a key derived from KEY_ENCRYPTION_KEY. */
    privateKeyCiphertext: bytea('private_key_ciphertext').notNull(),
    createdAt: createdAt(),
    activatesAt: instant('activates_at').notNull(),
    retiredAt: instant('retired_at'),
    expiresAt: instant('expires_at'),
  },
  (t) => [index('signing_keys_tenant').on(t.tenantId)],
);

export type SigningKey = typeof signingKeys.$inferSelect;
