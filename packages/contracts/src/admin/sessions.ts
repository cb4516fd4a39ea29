import { Type, type Static } from '@sinclair/typebox';
import { TenantName, Timestamp, Uuid } from './common.js';

export const SessionParams = Type.Object({ tenant: TenantName, userId: Uuid(), sessionId: Uuid() });

/** A live browser session (SSO) of a user at its tenant's issuer. The cookie value is never shown. */
export const SessionResource = Type.Object({
  id: Uuid({ description: 'Also the `sid` claim of ID tokens issued in this session.' }),
  createdAt: Timestamp,
  authTime: Type.String({ format: 'date-time', description: 'When the user last actively authenticated (OIDC Core §2 `auth_time`).' }),
  expiresAt: Timestamp,
  amr: Type.Array(Type.String(), { description: 'How the user authenticated (RFC 8176), e.g. `pwd`.' }),
  userAgent: Type.Union([Type.String(), Type.Null()], { description: 'The browser’s User-Agent at sign-in (control characters removed, at most 256 characters).' }),
  ipNetwork: Type.Union([Type.String(), Type.Null()], { description: 'The IP network the sign-in came from (/24 for IPv4, /64 for IPv6), never the full address.' }),
});

export type SessionResource = Static<typeof SessionResource>;
