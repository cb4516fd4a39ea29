import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from './common.js';

/** One second factor of a user, as the admin API lists it; secrets never leave the server. */
export const FactorResource = Type.Object({
  kind: Type.Union([Type.Literal('totp'), Type.Literal('recovery_codes')], { description: '`totp`: an authenticator app (RFC 6238); `recovery_codes`: a set of single-use codes.' }),
  createdAt: Timestamp,
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  /** Recovery codes only: how many of the set are still unused. */
  remaining: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const FactorList = Type.Object({
  items: Type.Array(FactorResource),
  /** When the user must have enrolled a second factor under a `required` policy; null when no deadline applies. */
  enrolmentDueAt: Type.Union([Timestamp, Type.Null()]),
});

export type FactorResource = Static<typeof FactorResource>;
export type FactorList = Static<typeof FactorList>;
