import { Value } from '@sinclair/typebox/value';
import { AccountProfile } from '@lanyard/contracts';
import type { User } from '@lanyard/db';
import type { OAuthParams } from '../oauth/read-form.js';

/** The profile fields of the account page, by claim (camelCase, as in the admin API), with their labels. */
export const PROFILE_FIELDS = {
  name: 'Name',
  givenName: 'Given name',
  middleName: 'Middle name',
  familyName: 'Family name',
  nickname: 'Nickname',
  preferredUsername: 'Preferred username',
  profile: 'Profile page (URL)',
  picture: 'Picture (URL)',
  website: 'Website (URL)',
  gender: 'Gender',
  birthdate: 'Birthdate (YYYY-MM-DD)',
  zoneinfo: 'Time zone (e.g. Europe/Paris)',
  locale: 'Language (e.g. fr-CA)',
  phoneNumber: 'Phone number (e.g. +1 555 010 0100)',
} as const;

export const ADDRESS_FIELDS = {
  formatted: 'Address (as printed on an envelope)',
  street_address: 'Street',
  locality: 'City',
  region: 'Region',
  postal_code: 'Postal code',
  country: 'Country',
} as const;

export type ProfileField = keyof typeof PROFILE_FIELDS | `address.${keyof typeof ADDRESS_FIELDS}`;

/** The label of a field, for messages: from the fixed tables above, never from the request. */
export function profileFieldLabel(field: string): string | undefined {
  if (Object.hasOwn(PROFILE_FIELDS, field)) return PROFILE_FIELDS[field as keyof typeof PROFILE_FIELDS];
  const sub = field.startsWith('address.') ? field.slice('address.'.length) : undefined;
  return sub !== undefined && Object.hasOwn(ADDRESS_FIELDS, sub) ? ADDRESS_FIELDS[sub as keyof typeof ADDRESS_FIELDS] : undefined;
}

/** The form's values for a user (what the page pre-fills). */
export function profileValues(user: User): Record<string, string> {
  const values: Record<string, string> = {};
  for (const key of Object.keys(PROFILE_FIELDS) as Array<keyof typeof PROFILE_FIELDS>) values[key] = (user[key] as string | null) ?? '';
  for (const key of Object.keys(ADDRESS_FIELDS) as Array<keyof typeof ADDRESS_FIELDS>) values[`address.${key}`] = user.address?.[key] ?? '';
  return values;
}

/**
 * Reads the profile form: a blank field clears the claim, an address with every part blank is no
 * address. Validated against the same schema as the admin API (`AccountProfile`); the first field
 * that does not pass is named, so the page can say which.
 */
export function readProfileForm(form: OAuthParams): { ok: true; profile: Required<AccountProfile> } | { ok: false; field: ProfileField } {
  const text = (name: string) => {
    const value = (form.get(name) ?? '').trim();
    return value === '' ? null : value;
  };
  const profile: Record<string, unknown> = {};
  for (const key of Object.keys(PROFILE_FIELDS)) profile[key] = text(key);
  const address: Record<string, string> = {};
  for (const key of Object.keys(ADDRESS_FIELDS)) {
    const value = text(`address.${key}`);
    if (value !== null) address[key] = value;
  }
  profile.address = Object.keys(address).length === 0 ? null : address;
  const error = Value.Errors(AccountProfile, profile).First();
  if (error !== undefined) {
    const field = error.path.split('/').filter((s) => s !== '').join('.');
    return { ok: false, field: (profileFieldLabel(field) === undefined ? 'name' : field) as ProfileField };
  }
  return { ok: true, profile: profile as Required<AccountProfile> };
}
