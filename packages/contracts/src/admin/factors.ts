import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './common.js';

/** One second factor of a user, as the admin API lists it; secrets never leave the server. */
export const FactorResource = Type.Object({
  kind: Type.Union([Type.Literal('totp'), Type.Literal('recovery_codes'), Type.Literal('passkey')], {
    description: '`totp`: an authenticator app (RFC 6238); `recovery_codes`: a set of single-use codes; `passkey`: a WebAuthn credential.',
  }),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  /** Recovery codes only: how many of the set are still unused. */
  remaining: Type.Optional(Type.Integer({ minimum: 0 })),
  /** Passkeys only: its id here, the name its owner gave it, and its WebAuthn backup flags. */
  id: Type.Optional(Type.String({ format: 'uuid' })),
  name: Type.Optional(Type.String()),
  deviceType: Type.Optional(Type.Union([Type.Literal('singleDevice'), Type.Literal('multiDevice')], { description: '`multiDevice`: a synced passkey (backup eligible); `singleDevice`: bound to one authenticator.' })),
  backedUp: Type.Optional(Type.Boolean()),
});

export const FactorList = Type.Object({
  items: Type.Array(FactorResource),
  /** When the user must have enrolled a second factor under a `required` policy; null when no deadline applies. */
  enrolmentDueAt: Type.Union([Timestamp, Type.Null()]),
});

export type FactorResource = Static<typeof FactorResource>;
export type FactorList = Static<typeof FactorList>;
