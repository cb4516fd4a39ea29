import type { User } from '@lanyard/db';

/** The claims of each standard scope (OIDC Core §5.4), in the order they are released. */
export const SCOPE_CLAIMS: Readonly<Record<string, readonly string[]>> = {
  profile: ['name', 'family_name', 'given_name', 'middle_name', 'nickname', 'preferred_username', 'profile', 'picture', 'website', 'gender', 'birthdate', 'zoneinfo', 'locale', 'updated_at'],
  email: ['email', 'email_verified'],
  address: ['address'],
  phone: ['phone_number', 'phone_number_verified'],
};

/** Every user claim we can release; `sub` is always there. */
export const USER_CLAIM_NAMES: readonly string[] = Object.values(SCOPE_CLAIMS).flat();

/**
 * The user columns tokens and claims are made of: `sub` and every releasable claim. The refresh
 * rotation reads only these, so a token path never holds the password hash or lockout state.
 */
export const CLAIMS_SUBJECT_COLUMNS = [
  'id', 'name', 'familyName', 'givenName', 'middleName', 'nickname', 'preferredUsername', 'profile', 'picture', 'website',
  'gender', 'birthdate', 'zoneinfo', 'locale', 'updatedAt', 'email', 'emailVerified', 'address', 'phoneNumber', 'phoneNumberVerified',
] as const satisfies readonly (keyof User)[];

/** A user as far as tokens and claims see one. */
export type ClaimsSubject = Pick<User, (typeof CLAIMS_SUBJECT_COLUMNS)[number]>;

/** A user's value for one claim name, or undefined when the user has none. */
function claimValue(user: ClaimsSubject, name: string): unknown {
  switch (name) {
    case 'name':
      return user.name;
    case 'family_name':
      return user.familyName;
    case 'given_name':
      return user.givenName;
    case 'middle_name':
      return user.middleName;
    case 'nickname':
      return user.nickname;
    case 'preferred_username':
      return user.preferredUsername;
    case 'profile':
      return user.profile;
    case 'picture':
      return user.picture;
    case 'website':
      return user.website;
    case 'gender':
      return user.gender;
    case 'birthdate':
      return user.birthdate;
    case 'zoneinfo':
      return user.zoneinfo;
    case 'locale':
      return user.locale;
    case 'updated_at':
      return Math.floor(user.updatedAt.getTime() / 1000);
    case 'email':
      return user.email;
    case 'email_verified':
      return user.emailVerified;
    case 'address':
      return user.address === null || Object.keys(user.address).length === 0 ? null : user.address;
    case 'phone_number':
      return user.phoneNumber;
    case 'phone_number_verified':
      return user.phoneNumber === null ? null : user.phoneNumberVerified;
    default:
      return undefined;
  }
}

/**
 * The user claims to release: those of the granted scopes (OIDC Core §5.4) plus individually
 * requested ones (the `claims` parameter, §5.5), limited to what we store. A claim the user has no
 * value for is omitted, never sent as null (§5.3.2).
 */
export function userClaims(user: ClaimsSubject, scopes: readonly string[], requested: readonly string[] = []): Record<string, unknown> {
  const names = new Set<string>([...scopes.flatMap((scope) => SCOPE_CLAIMS[scope] ?? []), ...requested.filter((n) => USER_CLAIM_NAMES.includes(n))]);
  const claims: Record<string, unknown> = {};
  for (const name of USER_CLAIM_NAMES) {
    if (!names.has(name)) continue;
    const value = claimValue(user, name);
    if (value !== null && value !== undefined) claims[name] = value;
  }
  return claims;
}
