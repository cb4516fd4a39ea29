import { boolean, check, index, jsonb, pgTable, text, unique, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { bytea, createdAt, instant, updatedAt } from './columns.js';
import { tenants } from './tenants.js';

/** Per-client overrides of the server's token lifetimes, in seconds. */
export interface TokenLifetimes {
  accessToken?: number;
  idToken?: number;
  refreshTokenIdle?: number;
  refreshTokenAbsolute?: number;
}

export const clients = pgTable(
  'clients',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id').notNull().references(() => tenants.id, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull(),
    displayName: text('display_name'),
    type: text('type', { enum: ['confidential', 'public'] }).notNull(),
    grantTypes: text('grant_types').array().notNull(),
    redirectUris: text('redirect_uris').array().notNull().default(sql`'{}'`),
    postLogoutRedirectUris: text('post_logout_redirect_uris').array().notNull().default(sql`'{}'`),
    allowedCorsOrigins: text('allowed_cors_origins').array().notNull().default(sql`'{}'`),
    scopes: text('scopes').array().notNull().default(sql`'{}'`),
    audience: text('audience').array().notNull().default(sql`'{}'`),
    tokenLifetimes: jsonb('token_lifetimes').$type<TokenLifetimes>().notNull().default({}),
    /** First-party clients skip the consent screen (OIDC Core §3.1.2.4 leaves this to the server). */
    firstParty: boolean('first_party').notNull().default(false),
    /**
     * A disabled client cannot authenticate or start an authorization, and every access token it
     * holds stops working at once (it is checked wherever our tokens are accepted).
     */
    disabled: boolean('disabled').notNull().default(false),
    /**
     * How the client authenticates at the token, revocation and introspection endpoints (RFC 7591
     * §2; the default there is client_secret_basic). Enforced: another method is `invalid_client`.
     */
    tokenEndpointAuthMethod: text('token_endpoint_auth_method', { enum: ['client_secret_basic', 'client_secret_post', 'none'] }).notNull().default('client_secret_basic'),
    /**
     * `required` (always for public clients), or `optional` for a confidential OIDC client whose
     * relying party uses `nonce` against code injection instead (RFC 9700 §2.1.1).
     */
    pkce: text('pkce', { enum: ['required', 'optional'] }).notNull().default('required'),
    /** The JWS algorithm of this client's ID tokens (OIDC Registration `id_token_signed_response_alg`). */
    idTokenSignedResponseAlg: text('id_token_signed_response_alg', { enum: ['ES256', 'RS256'] }).notNull().default('ES256'),
    /** The JWS algorithm of its access tokens; RFC 9068 §2.1 has servers support RS256 for resource servers that need it. */
    accessTokenSigningAlg: text('access_token_signing_alg', { enum: ['ES256', 'RS256'] }).notNull().default('ES256'),
    /**
     * Put the claims of the granted scopes into the ID token as well. Off by default: when an access
     * token is issued, OIDC Core §5.4 returns them from userinfo.
     */
    idTokenScopeClaims: boolean('id_token_scope_claims').notNull().default(false),
    /** Sign-ins to this client need a second factor, whatever the tenant's policy. */
    requireMfa: boolean('require_mfa').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('clients_tenant_client_id').on(t.tenantId, t.clientId),
    check('clients_type', sql`${t.type} in ('confidential', 'public')`),
  ],
);

/**
 * Client secrets are stored only as a keyed hash (HMAC-SHA-256 with a pepper derived from the
 * key-encryption key): they are high-entropy, so a slow hash buys nothing and would cap the token
 * endpoint (docs/reference/tokens.md). Two may be valid at once during rotation.
 */
export const clientSecrets = pgTable(
  'client_secrets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    clientRef: uuid('client_ref').notNull().references(() => clients.id, { onDelete: 'cascade' }),
    secretHash: bytea('secret_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: instant('expires_at'),
  },
  (t) => [index('client_secrets_client_ref').on(t.clientRef)],
);

export type Client = typeof clients.$inferSelect;
export type ClientSecret = typeof clientSecrets.$inferSelect;
