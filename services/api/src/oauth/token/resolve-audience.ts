import { InvalidTarget } from '@lanyard/errors';

/**
 * The `aud` of an access token (RFC 8707 §2, RFC 9068 §3): `resource` narrows it to registered
 * values; without it the token is for all the client's registered audiences, or for the issuer
 * itself when none are registered. An unregistered resource is `invalid_target`.
 */
export function resolveAudience(resources: readonly string[], registered: readonly string[], issuer: string): string[] {
  if (resources.length === 0) return registered.length > 0 ? [...registered] : [issuer];
  const unknown = resources.find((r) => !registered.includes(r));
  if (unknown !== undefined) throw new InvalidTarget(`Resource "${unknown}" is not an audience of this client.`);
  return [...resources];
}
