import { Type, type Static } from '@sinclair/typebox';
import { ClientIdString, TenantName, Text, Timestamp } from './common.js';

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Text({ minLength: 8, maxLength: 256, description: 'NIST SP 800-63B: at least 8 characters, no composition rules; no control characters.' });
const Name = Text({ minLength: 1, maxLength: 200 });

export const UserParams = Type.Object({ tenant: TenantName, userId: Type.String({ format: 'uuid' }) });
export const UsersParams = Type.Object({ tenant: TenantName });

export const UserCreate = Type.Object(
  {
    email: Email,
    password: Type.Optional(Password),
    emailVerified: Type.Optional(Type.Boolean({ default: false })),
    name: Type.Optional(Name),
  },
  { additionalProperties: false },
);

export const UserPatch = Type.Object(
  {
    email: Type.Optional(Email),
    password: Type.Optional(Password),
    emailVerified: Type.Optional(Type.Boolean()),
    name: Type.Optional(Type.Union([Name, Type.Null()])),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UserResource = Type.Object({
  id: Type.String({ format: 'uuid' }),
  tenant: TenantName,
  email: Type.String(),
  emailVerified: Type.Boolean(),
  name: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  hasPassword: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const UserListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Text({ maxLength: 200, description: 'Opaque cursor from `nextCursor`.' })),
    email: Type.Optional(Text({ maxLength: 254, description: 'Exact email filter.' })),
  },
  { additionalProperties: false },
);

export const UserList = Type.Object({ items: Type.Array(UserResource), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export type UserCreate = Static<typeof UserCreate>;
export type UserPatch = Static<typeof UserPatch>;
export type UserResource = Static<typeof UserResource>;
export type UserList = Static<typeof UserList>;

export const ConsentParams = Type.Object({ tenant: TenantName, userId: Type.String({ format: 'uuid' }), clientId: ClientIdString });

/** What a user allowed a client; revoking it also revokes that client's refresh tokens for the user. */
export const ConsentResource = Type.Object({
  clientId: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ConsentList = Type.Object({ items: Type.Array(ConsentResource) });

export type ConsentResource = Static<typeof ConsentResource>;
