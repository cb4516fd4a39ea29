import { bigint, boolean, index, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { bytea, createdAt, instant } from './columns.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

/**
 * A user's authenticator app (TOTP, RFC 6238): at most one per user. The shared secret is stored
 * encrypted with a key derived from KEY_ENCRYPTION_KEY (AES-256-GCM, associated data binding it to
 * the user), so a database dump alone cannot mint codes.
 */
export const totpFactors = pgTable('totp_factors', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
  secret: bytea('secret').notNull(),
  /** Null while enrolment waits for its first code; only a confirmed factor signs anyone in. */
  confirmedAt: instant('confirmed_at'),
  /**
   * The time step of the last accepted code. RFC 6238 §5.2: a code must not be accepted twice, so
   * a code of this step or an earlier one is refused.
   */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  lastUsedAt: instant('last_used_at'),
  createdAt: createdAt(),
});

/**
 * Single-use recovery codes, ten per set, shown once. Only a keyed hash (HMAC-SHA-256 with a
 * pepper derived from KEY_ENCRYPTION_KEY) is stored: the codes are random, so a slow hash adds
 * nothing, and the pepper keeps a leaked table from being checked offline.
 */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    codeHash: bytea('code_hash').notNull(),
    usedAt: instant('used_at'),
    createdAt: createdAt(),
  },
  // The unique index also serves every lookup, all of which are by user.
  (t) => [unique('recovery_codes_user_hash').on(t.userId, t.codeHash)],
);

/**
 * Passkeys (WebAuthn credentials), several per user, each named by its owner. The credential id is
 * unique per tenant (the RP is the whole `PUBLIC_URL` host, but each tenant is its own account
 * space); only the public key is stored.
 */
export const webauthnCredentials = pgTable(
  'webauthn_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    /** base64url, as WebAuthn's JSON carries it. */
    credentialId: text('credential_id').notNull(),
    /** COSE public key. */
    publicKey: bytea('public_key').notNull(),
    /** WebAuthn §6.1.1 signature counter; 0 for authenticators that do not keep one (most passkeys). */
    counter: bigint('counter', { mode: 'number' }).notNull(),
    transports: text('transports').array().notNull(),
    /** `singleDevice` (device-bound, RFC 8176 `hwk`) or `multiDevice` (synced, `swk`). */
    deviceType: text('device_type', { enum: ['singleDevice', 'multiDevice'] }).notNull(),
    /** The backup state flag (BS) of the last ceremony. */
    backedUp: boolean('backed_up').notNull(),
    name: text('name').notNull(),
    createdAt: createdAt(),
    lastUsedAt: instant('last_used_at'),
  },
  (t) => [unique('webauthn_credentials_tenant_credential').on(t.tenantId, t.credentialId), index('webauthn_credentials_user').on(t.userId)],
);

/** Second-factor kinds, as the admin API names them. */
export const FACTOR_KINDS = ['totp', 'recovery_codes', 'passkey'] as const;
export type FactorKind = (typeof FACTOR_KINDS)[number];

export type TotpFactor = typeof totpFactors.$inferSelect;
export type RecoveryCode = typeof recoveryCodes.$inferSelect;
export type WebauthnCredential = typeof webauthnCredentials.$inferSelect;
