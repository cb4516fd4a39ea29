import { Type, type Static } from '@sinclair/typebox';
import { TenantName, Text, Timestamp, Uuid } from './common.js';

export const InvitationCreate = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    name: Type.Optional(Text({ minLength: 1, maxLength: 200, description: 'Pre-filled on the invitation page; the invitee may change it.' })),
    invitedBy: Type.Optional(Text({ minLength: 1, maxLength: 100, description: 'Named in the invitation email ("Ada invited you…").' })),
  },
  { additionalProperties: false },
);

/** An invitation sent: the (password-less, unverified) account it is for and when its link expires. */
export const InvitationResource = Type.Object({
  tenant: TenantName,
  userId: Uuid(),
  email: Type.String(),
  /** False when the address had already been invited: a new link was sent, older ones still work. */
  created: Type.Boolean(),
  expiresAt: Timestamp,
});

/** The verification email that was queued. */
export const VerificationEmailResource = Type.Object({
  userId: Uuid(),
  email: Type.String(),
  queued: Type.Boolean({ description: 'False when the hourly quota of verification emails to this address was used up (RATE_LIMIT_EMAILS_PER_ADDRESS_PER_HOUR).' }),
});

export type InvitationCreate = Static<typeof InvitationCreate>;
export type InvitationResource = Static<typeof InvitationResource>;
export type VerificationEmailResource = Static<typeof VerificationEmailResource>;
