import { Type, type Static } from '@sinclair/typebox';
import { ClientIdString, TenantName, Text, Timestamp, uniqueList, Uuid } from './common.js';

export const GrantType = Type.Union(
  [Type.Literal('authorization_code'), Type.Literal('refresh_token'), Type.Literal('client_credentials')],
  { description: 'OAuth 2.1 grant types; implicit and password grants do not exist in OAuth 2.1.' },
);

const Uri = Text({ minLength: 1, maxLength: 2000 });
const Scope = Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$', maxLength: 200, description: 'RFC 6749 §3.3 scope token.' });
const Seconds = (max: number) => Type.Integer({ minimum: 30, maximum: max });
/** The longest an access token may live (a client's `tokenLifetimes.accessToken`, ACCESS_TOKEN_TTL_SECONDS). */
export const MAX_ACCESS_TOKEN_LIFETIME_SECONDS = 86_400;

export const TokenLifetimes = Type.Object(
  {
    accessToken: Type.Optional(Seconds(MAX_ACCESS_TOKEN_LIFETIME_SECONDS)),
    idToken: Type.Optional(Seconds(86_400)),
    refreshTokenIdle: Type.Optional(Seconds(365 * 86_400)),
    refreshTokenAbsolute: Type.Optional(Seconds(365 * 86_400)),
  },
  { additionalProperties: false, default: {} },
);

export const ClientParams = Type.Object({ tenant: TenantName, clientId: ClientIdString });
export const ClientSecretParams = Type.Object({ tenant: TenantName, clientId: ClientIdString, secretId: Uuid() });

export const ClientSpec = Type.Object(
  {
    type: Type.Union([Type.Literal('confidential'), Type.Literal('public')]),
    displayName: Type.Optional(Text({ minLength: 1, maxLength: 200 })),
    grantTypes: Type.Array(GrantType, { uniqueItems: true, minItems: 1, maxItems: 3 }),
    redirectUris: uniqueList(Uri, 20, 'Exact redirect URIs (RFC 9700 §4.1.3: no patterns).'),
    postLogoutRedirectUris: uniqueList(Uri, 20, 'Where RP-initiated logout may return to.'),
    allowedCorsOrigins: uniqueList(Uri, 20, 'Origins allowed to call the token endpoint from a browser.'),
    scopes: uniqueList(Scope, 50, 'Scopes the client may request.'),
    audience: uniqueList(Text({ minLength: 1, maxLength: 500 }), 20, 'Audiences (resource servers) of its access tokens.'),
    tokenLifetimes: Type.Optional(TokenLifetimes),
    firstParty: Type.Optional(Type.Boolean({ description: 'Skip the consent screen.', default: false })),
    tokenEndpointAuthMethod: Type.Optional(
      Type.Union([Type.Literal('client_secret_basic'), Type.Literal('client_secret_post'), Type.Literal('none')], {
        description: 'How the client authenticates at the token, revocation and introspection endpoints; enforced. Default: client_secret_basic for confidential clients (RFC 7591 §2), none for public ones (the only method they may use).',
      }),
    ),
    pkce: Type.Optional(
      Type.Union([Type.Literal('required'), Type.Literal('optional')], {
        description: 'PKCE policy. `optional` only for confidential clients whose relying party uses `nonce` (RFC 9700 §2.1.1); public clients always require PKCE.',
        default: 'required',
      }),
    ),
    idTokenSignedResponseAlg: Type.Optional(
      Type.Union([Type.Literal('ES256'), Type.Literal('RS256')], { description: 'JWS algorithm of this client’s ID tokens (default ES256: smaller and ~10× faster to sign).', default: 'ES256' }),
    ),
    accessTokenSigningAlg: Type.Optional(
      Type.Union([Type.Literal('ES256'), Type.Literal('RS256')], { description: 'JWS algorithm of its access tokens (default ES256); RS256 for resource servers that only verify RSA (RFC 9068 §2.1).', default: 'ES256' }),
    ),
    idTokenScopeClaims: Type.Optional(
      Type.Boolean({ description: 'Also put the claims of the granted scopes (profile, email, …) into the ID token; by default they come from userinfo (OIDC Core §5.4).', default: false }),
    ),
    requireMfa: Type.Optional(
      Type.Boolean({ description: 'Sign-ins to this client need a second factor, whatever the tenant\'s policy; a user without one enrols it first.', default: false }),
    ),
    disabled: Type.Optional(
      Type.Boolean({ description: 'A disabled client cannot authenticate or start a sign-in, and its access tokens stop working at once.', default: false }),
    ),
    secret: Type.Optional(
      Text({
        minLength: 32,
        maxLength: 512,
        writeOnly: true,
        description:
          'Confidential clients: a secret to ensure is registered (idempotent; only a keyed hash is stored). When a confidential client is created without one, a secret is generated and returned once as `clientSecret`.',
      }),
    ),
  },
  { additionalProperties: false },
);

export const ClientSecretInfo = Type.Object({ id: Uuid(), createdAt: Timestamp, expiresAt: Type.Union([Timestamp, Type.Null()]) });

export const ClientResource = Type.Object({
  tenant: TenantName,
  clientId: ClientIdString,
  type: Type.Union([Type.Literal('confidential'), Type.Literal('public')]),
  displayName: Type.Union([Type.String(), Type.Null()]),
  grantTypes: Type.Array(GrantType),
  redirectUris: Type.Array(Type.String()),
  postLogoutRedirectUris: Type.Array(Type.String()),
  allowedCorsOrigins: Type.Array(Type.String()),
  scopes: Type.Array(Type.String()),
  audience: Type.Array(Type.String()),
  tokenLifetimes: TokenLifetimes,
  firstParty: Type.Boolean(),
  disabled: Type.Boolean(),
  tokenEndpointAuthMethod: Type.Union([Type.Literal('client_secret_basic'), Type.Literal('client_secret_post'), Type.Literal('none')]),
  pkce: Type.Union([Type.Literal('required'), Type.Literal('optional')]),
  idTokenSignedResponseAlg: Type.Union([Type.Literal('ES256'), Type.Literal('RS256')]),
  accessTokenSigningAlg: Type.Union([Type.Literal('ES256'), Type.Literal('RS256')]),
  idTokenScopeClaims: Type.Boolean(),
  requireMfa: Type.Boolean(),
  secrets: Type.Array(ClientSecretInfo),
  /** Present only in the PUT response that created a confidential client without a secret. */
  clientSecret: Type.Optional(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ClientSecretCreate = Type.Object(
  {
    secret: Text({ minLength: 32, maxLength: 512, description: 'At least 32 characters of high-entropy secret; only a keyed hash is stored.' }),
    expiresAt: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);

export type ClientSpec = Static<typeof ClientSpec>;
export type ClientResource = Static<typeof ClientResource>;
export type ClientSecretCreate = Static<typeof ClientSecretCreate>;
export type ClientSecretInfo = Static<typeof ClientSecretInfo>;
export type GrantType = Static<typeof GrantType>;
