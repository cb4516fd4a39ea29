import { Type, type Static } from '@sinclair/typebox';
import { TenantName, Text, Timestamp, uniqueList } from './common.js';

/** A provider's name: the `{provider}` of `{ISSUER}/federation/{provider}/…`, a DNS label. */
export const ProviderName = Type.String({ pattern: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$', minLength: 1, maxLength: 63, description: 'DNS label (RFC 1123); the path segment of its federation URLs.' });

export const IdentityProviderParams = Type.Object({ tenant: TenantName, provider: ProviderName });
export const IdentityProvidersParams = Type.Object({ tenant: TenantName });

/** What happens when an upstream identity has no local account linked yet (docs/reference/federation.md). */
export const LinkingRule = Type.Union([Type.Literal('just-in-time'), Type.Literal('verified-email'), Type.Literal('existing-only')], {
  description:
    '`just-in-time`: create a local account (or link one with the same verified email); `verified-email`: link to an existing account with the same address, only when the upstream says it is verified; `existing-only`: only identities already linked sign in.',
});

/** Which upstream ID-token/userinfo claims mean what; each defaults to its OIDC Core name. */
export const ClaimMapping = Type.Object(
  {
    subject: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Default `sub`.' })),
    email: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Default `email`.' })),
    emailVerified: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Default `email_verified`.' })),
    name: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Default `name`.' })),
  },
  { additionalProperties: false, default: {} },
);

const Scope = Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]+$', maxLength: 200 });

export const IdentityProviderSpec = Type.Object(
  {
    displayName: Text({ minLength: 1, maxLength: 100, description: 'The label of its button on the sign-in page ("Sign in with …").' }),
    issuer: Type.String({ minLength: 1, maxLength: 2000, pattern: '^(https://|http://(127\\.0\\.0\\.1|localhost|\\[::1\\])(:[0-9]+)?(/|$))[^\\u0000-\\u0020\\u007F]*$', description: 'The upstream issuer; its discovery document is at `{issuer}/.well-known/openid-configuration`. https, or http on loopback.' }),
    clientId: Text({ minLength: 1, maxLength: 500, description: 'Our client id at the upstream.' }),
    clientSecret: Type.Optional(
      Text({ minLength: 1, maxLength: 2000, writeOnly: true, description: 'Our client secret at the upstream (client_secret_basic). Write-only: stored encrypted, never returned; absent keeps the stored one.' }),
    ),
    scopes: Type.Optional(uniqueList(Scope, 20, 'Scopes asked of the upstream; `openid` is always sent. Default `openid email profile`.')),
    claims: Type.Optional(ClaimMapping),
    linking: LinkingRule,
    disabled: Type.Optional(Type.Boolean({ description: 'A disabled provider has no button and refuses to start or finish a sign-in.', default: false })),
  },
  { additionalProperties: false },
);

export const IdentityProviderResource = Type.Object({
  tenant: TenantName,
  name: ProviderName,
  displayName: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  /** SHA-256 of the stored secret, first 16 hex digits, so a declarative caller can tell it changed; null without one. */
  clientSecretFingerprint: Type.Union([Type.String(), Type.Null()]),
  scopes: Type.Array(Type.String()),
  claims: ClaimMapping,
  linking: LinkingRule,
  disabled: Type.Boolean(),
  /** The redirect URI to register at the upstream: `{ISSUER}/federation/{provider}/callback`. */
  callbackUrl: Type.String({ format: 'uri' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const IdentityProviderList = Type.Object({ items: Type.Array(IdentityProviderResource) });

export type IdentityProviderSpec = Static<typeof IdentityProviderSpec>;
export type IdentityProviderResource = Static<typeof IdentityProviderResource>;
export type LinkingRule = Static<typeof LinkingRule>;
export type ClaimMapping = Static<typeof ClaimMapping>;
export type IdentityProviderList = Static<typeof IdentityProviderList>;
