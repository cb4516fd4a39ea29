import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ClientIdString, Cursor, TenantName, Text, Timestamp, Uuid } from './common.js';

const Email = Type.String({ format: 'email', maxLength: 254 });
const Password = Text({ minLength: 8, maxLength: 256, description: 'NIST SP 800-63B: at least 8 characters, no composition rules; no control characters.' });
const Name = Text({ minLength: 1, maxLength: 200 });
const Url = Type.String({ minLength: 1, maxLength: 2000, pattern: '^https?://[^\\u0000-\\u0020\\u007F]+$', description: 'An http(s) URL.' });
const nullable = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));

/** OIDC Core §5.1.1: the parts of a postal address. */
export const UserAddress = Type.Object(
  {
    formatted: Type.Optional(Text({ maxLength: 500 })),
    street_address: Type.Optional(Text({ maxLength: 500 })),
    locality: Type.Optional(Text({ maxLength: 200 })),
    region: Type.Optional(Text({ maxLength: 200 })),
    postal_code: Type.Optional(Text({ maxLength: 50 })),
    country: Type.Optional(Text({ maxLength: 100 })),
  },
  { additionalProperties: false },
);

/**
 * OIDC Core §5.1 standard claims a user may carry (camelCase here, snake_case in tokens), released
 * by scope: profile (names, nickname, preferred username, profile, picture, website, gender,
 * birthdate, zoneinfo, locale), phone, address. `null` in a PATCH clears one.
 */
const StandardClaims = {
  givenName: nullable(Name),
  familyName: nullable(Name),
  middleName: nullable(Name),
  nickname: nullable(Name),
  preferredUsername: nullable(Name),
  profile: nullable(Url),
  picture: nullable(Url),
  website: nullable(Url),
  gender: nullable(Text({ minLength: 1, maxLength: 50 })),
  birthdate: nullable(Type.String({ pattern: '^(\\d{4}|0000)-\\d{2}-\\d{2}$|^\\d{4}$', description: 'YYYY-MM-DD, 0000-MM-DD (year withheld) or YYYY (§5.1).' })),
  zoneinfo: nullable(Type.String({ pattern: '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$', maxLength: 64, description: 'IANA time zone, e.g. Europe/Paris.' })),
  locale: nullable(Type.String({ pattern: '^[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*$', maxLength: 35, description: 'BCP 47 language tag, e.g. fr-CA.' })),
  phoneNumber: nullable(Type.String({ pattern: '^\\+[1-9][0-9 ]{1,20}(;ext=[0-9]{1,10})?$', maxLength: 40, description: 'E.164, e.g. +1 555 010 0100 (§5.1).' })),
  phoneNumberVerified: Type.Optional(Type.Boolean()),
  address: nullable(UserAddress),
};

/**
 * What a user may change about themselves on the account page: the name and every standard claim
 * but `phone_number_verified`, which only an admin (or a future phone check) sets; a changed phone
 * number is unverified again. Same validation as the admin API.
 */
const { phoneNumberVerified: _adminOnly, ...SelfServiceClaims } = StandardClaims;
void _adminOnly;
export const AccountProfile = Type.Object({ name: nullable(Name), ...SelfServiceClaims }, { additionalProperties: false });
export type AccountProfile = Static<typeof AccountProfile>;

export const UserParams = Type.Object({ tenant: TenantName, userId: Uuid() });
export const UsersParams = Type.Object({ tenant: TenantName });

export const UserCreate = Type.Object(
  {
    email: Email,
    password: Type.Optional(Password),
    emailVerified: Type.Optional(Type.Boolean({ default: false })),
    name: Type.Optional(Name),
    ...StandardClaims,
  },
  { additionalProperties: false },
);

export const UserPatch = Type.Object(
  {
    email: Type.Optional(Email),
    password: Type.Optional(Password),
    emailVerified: Type.Optional(Type.Boolean()),
    name: Type.Optional(Type.Union([Name, Type.Null()])),
    ...StandardClaims,
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const UserResource = Type.Object({
  id: Uuid(),
  tenant: TenantName,
  email: Type.String(),
  emailVerified: Type.Boolean(),
  name: Type.Union([Type.String(), Type.Null()]),
  givenName: Type.Union([Type.String(), Type.Null()]),
  familyName: Type.Union([Type.String(), Type.Null()]),
  middleName: Type.Union([Type.String(), Type.Null()]),
  nickname: Type.Union([Type.String(), Type.Null()]),
  preferredUsername: Type.Union([Type.String(), Type.Null()]),
  profile: Type.Union([Type.String(), Type.Null()]),
  picture: Type.Union([Type.String(), Type.Null()]),
  website: Type.Union([Type.String(), Type.Null()]),
  gender: Type.Union([Type.String(), Type.Null()]),
  birthdate: Type.Union([Type.String(), Type.Null()]),
  zoneinfo: Type.Union([Type.String(), Type.Null()]),
  locale: Type.Union([Type.String(), Type.Null()]),
  phoneNumber: Type.Union([Type.String(), Type.Null()]),
  phoneNumberVerified: Type.Boolean(),
  address: Type.Union([UserAddress, Type.Null()]),
  disabled: Type.Boolean(),
  hasPassword: Type.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const UserListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
    cursor: Type.Optional(Cursor('Opaque cursor from `nextCursor`.')),
    email: Type.Optional(Text({ maxLength: 254, description: 'Exact email filter.' })),
  },
  { additionalProperties: false },
);

export const UserList = Type.Object({
  items: Type.Array(UserResource),
  nextCursor: Type.Union([Cursor('Pass back as `cursor` for the next page.'), Type.Null()], { description: 'Pass back as `cursor` for the next page; `null` on the last page.' }),
});

export type UserCreate = Static<typeof UserCreate>;
export type UserPatch = Static<typeof UserPatch>;
export type UserResource = Static<typeof UserResource>;
export type UserList = Static<typeof UserList>;

export const ConsentParams = Type.Object({ tenant: TenantName, userId: Uuid(), clientId: ClientIdString });

/** What a user allowed a client; revoking it also revokes that client's refresh tokens for the user. */
export const ConsentResource = Type.Object({
  clientId: Type.String(),
  scopes: Type.Array(Type.String()),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const ConsentList = Type.Object({ items: Type.Array(ConsentResource) });

export type ConsentResource = Static<typeof ConsentResource>;
