/**
 * The redirect back to the client (RFC 6749 §4.1.2 / §4.1.2.1) in the query, keeping any query the
 * registered URI already has (§3.1.2), always with `iss` (RFC 9207) and `state` echoed unchanged.
 */
export function authorizationResponseUrl(redirectUri: string, issuer: string, state: string | null, params: Record<string, string>): string {
  const url = new URL(redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.append(key, value);
  if (state !== null) url.searchParams.append('state', state);
  url.searchParams.append('iss', issuer);
  return url.toString();
}
