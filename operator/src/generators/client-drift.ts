import type { ClientResource, ClientSpec } from '@lanyard/contracts';

const sameSet = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const sameRecord = (a: object = {}, b: object = {}) =>
  JSON.stringify(Object.entries(a).sort(([x], [y]) => x.localeCompare(y))) === JSON.stringify(Object.entries(b).sort(([x], [y]) => x.localeCompare(y)));

/**
 * Fields where the registered client differs from the desired one (empty: in sync). Lists are sets
 * in the API, so order is not drift. Comparing before writing is what makes a quiet resync free of
 * writes, and what finds changes made directly in the identity service.
 */
export function clientDrift(actual: ClientResource, desired: ClientSpec): string[] {
  const drift: string[] = [];
  if (actual.type !== desired.type) drift.push('type');
  if ((actual.displayName ?? null) !== (desired.displayName ?? null)) drift.push('displayName');
  for (const field of ['grantTypes', 'redirectUris', 'postLogoutRedirectUris', 'allowedCorsOrigins', 'scopes', 'audience'] as const) {
    if (!sameSet(actual[field], desired[field])) drift.push(field);
  }
  if (!sameRecord(actual.tokenLifetimes, desired.tokenLifetimes)) drift.push('tokenLifetimes');
  if (actual.firstParty !== (desired.firstParty ?? false)) drift.push('firstParty');
  const method = desired.tokenEndpointAuthMethod ?? (desired.type === 'public' ? 'none' : 'client_secret_basic');
  if (actual.tokenEndpointAuthMethod !== method) drift.push('tokenEndpointAuthMethod');
  if (actual.pkce !== (desired.pkce ?? 'required')) drift.push('pkce');
  if (actual.requireMfa !== (desired.requireMfa ?? false)) drift.push('requireMfa');
  return drift;
}
