import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { clients } from './clients.js';
import { bytea, createdAt, instant } from './columns.js';
import { sessions } from './sessions.js';
import { tenants } from './tenants.js';
import { users } from './users.js';

/** One requested claim (OIDC Core §5.5.1): null, or essential / value / values. */
export type ClaimRequest = null | { essential?: boolean; value?: unknown; values?: unknown[] };

/** OIDC Core §5.5 `claims` request parameter: individual claims for userinfo and the ID token. */
export interface ClaimsRequest {
  userinfo?: Record<string, ClaimRequest>;
  id_token?: Record<string, ClaimRequest>;
}

/**
 * Authorization codes (RFC 6749 §4.1.2): single use, short-lived, bound to the client, the redirect
 * URI and the PKCE challenge. Only a hash of the code is stored. After redemption the row keeps what
 * was issued, so a replay can revoke it (RFC 6749 §4.1.2, RFC 9700 §4.5).
 */
export const authorizationCodes = pgTable(
  'authorization_codes',
  {
    codeHash: bytea('code_hash').primaryKey(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    clientRef: uuid('client_ref').notNull().references(() => clients.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    redirectUri: text('redirect_uri').notNull(),
    /** S256 challenge; null only when the client's PKCE policy is `optional` and it sent none. */
    codeChallenge: text('code_challenge'),
    scopes: text('scopes').array().notNull(),
    nonce: text('nonce'),
    authTime: instant('auth_time').notNull(),
    /** OIDC Core §5.5 `claims` request parameter, as validated at the authorization endpoint. */
    claims: jsonb('claims').$type<ClaimsRequest>(),
    /** How the user authenticated (RFC 8176 `amr`) and the resulting `acr`. */
    amr: text('amr').array().notNull().default(sql`'{}'`),
    acr: text('acr'),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    consumedAt: instant('consumed_at'),
    /** What the first redemption issued; revoked if the code is replayed. */
    issuedFamilyId: uuid('issued_family_id'),
    issuedAccessTokenJti: text('issued_access_token_jti'),
    issuedAccessTokenExpiresAt: instant('issued_access_token_expires_at'),
  },
  (t) => [index('authorization_codes_expires').on(t.expiresAt)],
);

/**
 * A refresh-token family: every token rotated from one grant. Reuse of a rotated token outside the
 * grace window revokes the whole family (RFC 9700 §4.14.2). Rotation never extends
 * `absoluteExpiresAt`.
 */
export const refreshTokenFamilies = pgTable(
  'refresh_token_families',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    clientRef: uuid('client_ref').notNull().references(() => clients.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    sessionId: uuid('session_id').references(() => sessions.id, { onDelete: 'set null' }),
    scopes: text('scopes').array().notNull(),
    authTime: instant('auth_time').notNull(),
    claims: jsonb('claims').$type<ClaimsRequest>(),
    amr: text('amr').array().notNull().default(sql`'{}'`),
    acr: text('acr'),
    /** `cookie` for browser clients (the token never reaches JavaScript), `body` otherwise. */
    delivery: text('delivery', { enum: ['cookie', 'body'] }).notNull(),
    createdAt: createdAt(),
    absoluteExpiresAt: instant('absolute_expires_at').notNull(),
    revokedAt: instant('revoked_at'),
    revokedReason: text('revoked_reason'),
  },
  (t) => [
    index('refresh_token_families_user').on(t.userId),
    index('refresh_token_families_session').on(t.sessionId),
    index('refresh_token_families_absolute_expires').on(t.absoluteExpiresAt),
  ],
);

export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: bytea('token_hash').primaryKey(),
    familyId: uuid('family_id').notNull().references(() => refreshTokenFamilies.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    /** Idle expiry: min(created + idle TTL, family absolute expiry). */
    expiresAt: instant('expires_at').notNull(),
    /** Set when the token is rotated; a later use is reuse (or a race inside the grace window). */
    usedAt: instant('used_at'),
  },
  (t) => [index('refresh_tokens_family').on(t.familyId), index('refresh_tokens_expires').on(t.expiresAt)],
);

/** What a user action token was mailed for; a token is only ever accepted for its own purpose. */
export type UserActionPurpose = 'email_verification' | 'password_reset' | 'email_change' | 'invitation';

/** Purpose-specific data of a user action token. */
export interface UserActionData {
  /**
   * The address the link was mailed to. Verification and reset are refused if the user's address
   * changed since; for email_change it is the new address, which becomes the user's on use.
   */
  email?: string;
  /** The sign-in interaction (an app's authorization request) to resume afterwards, if any. */
  interactionId?: string;
}

/**
 * Single-use tokens mailed to users (verification, reset, email change, invitation). Only a hash of
 * the token is stored; using one sets `usedAt` in the same statement that checks it, so two clicks
 * cannot both succeed. `id` names the email that carried it (job id, Message-ID).
 */
export const userActionTokens = pgTable(
  'user_action_tokens',
  {
    tokenHash: bytea('token_hash').primaryKey(),
    id: uuid('id').notNull().unique().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').notNull().references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: ['email_verification', 'password_reset', 'email_change', 'invitation'] }).notNull(),
    data: jsonb('data').$type<UserActionData>().notNull().default({}),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
  },
  (t) => [index('user_action_tokens_user').on(t.userId), index('user_action_tokens_expires').on(t.expiresAt)],
);

export type UserActionToken = typeof userActionTokens.$inferSelect;
export type AuthorizationCode = typeof authorizationCodes.$inferSelect;
export type RefreshTokenFamily = typeof refreshTokenFamilies.$inferSelect;
export type RefreshToken = typeof refreshTokens.$inferSelect;
