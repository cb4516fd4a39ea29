import { InvalidRequest, InvalidScope } from '@lanyard/errors';

/** RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), space-delimited. */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

export function parseScope(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const tokens = value.split(' ').filter((t) => t !== '');
  if (tokens.some((t) => !SCOPE_TOKEN.test(t))) throw new InvalidRequest('scope contains invalid characters.');
  return [...new Set(tokens)];
}

/** Scopes that only make sense when a user is present (OIDC Core §5.4, §11). */
export const USER_SCOPES = new Set(['openid', 'profile', 'email', 'address', 'phone', 'offline_access']);

/** Every requested scope must be within `allowed`; otherwise `invalid_scope` naming the first offender. */
export function requireSubset(requested: readonly string[], allowed: readonly string[]): void {
  const allowedSet = new Set(allowed);
  const extra = requested.find((s) => !allowedSet.has(s));
  if (extra !== undefined) throw new InvalidScope(`Scope "${extra}" is not allowed for this client.`);
}
