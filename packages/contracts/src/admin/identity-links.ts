import { Type, type Static } from '@sinclair/typebox';
import { TenantName, Timestamp, Uuid } from './common.js';
import { ProviderName } from './identity-providers.js';

export const IdentityLinksParams = Type.Object({ tenant: TenantName, userId: Uuid() });
export const IdentityLinkParams = Type.Object({ tenant: TenantName, userId: Uuid(), provider: ProviderName });

/**
 * The person's `sub` at the upstream (OIDC Core §2: at most 255 ASCII characters there; any text
 * here, but no control character, C0 or C1, as sign-in refuses those).
 */
export const UpstreamSubject = Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F]+$', description: 'The subject (`sub`, or the provider\u2019s mapped subject claim) at the upstream.' });

export const IdentityLinkSpec = Type.Object({ subject: UpstreamSubject }, { additionalProperties: false });

/** One of a user's identities at an upstream provider: signing in there signs in as this user. */
export const IdentityLinkResource = Type.Object({
  provider: ProviderName,
  subject: Type.String(),
  createdAt: Timestamp,
  /** The last federated sign-in through this link; null for a link no sign-in used yet. */
  lastSignInAt: Type.Union([Timestamp, Type.Null()]),
});

export const IdentityLinkList = Type.Object({ items: Type.Array(IdentityLinkResource) });

export type IdentityLinkSpec = Static<typeof IdentityLinkSpec>;
export type IdentityLinkResource = Static<typeof IdentityLinkResource>;
