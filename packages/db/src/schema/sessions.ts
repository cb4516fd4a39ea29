import { index, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { clients } from './clients.js';
import { bytea, createdAt, instant, updatedAt } from './columns.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

/** A browser session at one issuer (SSO). The cookie carries a random value; only its hash is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: bytea('token_hash').notNull().unique(),
    /** OIDC Core §2 `auth_time`: when the user last actively authenticated. */
    authTime: instant('auth_time').notNull(),
    amr: text('amr').array().notNull(),
    /** Shown on the account page so a user can tell their sessions apart (truncated to 256). */
    userAgent: text('user_agent'),
    /** The IP network (/24 or /64) the session started from: enough to recognise, not to locate. */
    ipNetwork: text('ip_network'),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [index('sessions_user').on(t.userId), index('sessions_expires').on(t.expiresAt)],
);

/** Scopes a user granted to a client, remembered so consent is asked once (and revocable). */
export const consents = pgTable(
  'consents',
  {
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    clientRef: uuid('client_ref').notNull().references(() => clients.id, { onDelete: 'cascade' }),
    scopes: text('scopes').array().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.clientRef] })],
);

/**
 * Browsers a user has signed in from (the hash of a long-lived device cookie). A sign-in from a
 * browser not listed here mails the user a new-device notice.
 */
export const knownBrowsers = pgTable(
  'known_browsers',
  {
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    browserHash: bytea('browser_hash').notNull(),
    firstSeenAt: instant('first_seen_at').notNull(),
    lastSeenAt: instant('last_seen_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.browserHash] }), index('known_browsers_last_seen').on(t.lastSeenAt)],
);

export type Session = typeof sessions.$inferSelect;
export type Consent = typeof consents.$inferSelect;
