/**
 * Exact redirect URI matching (RFC 9700 §4.1.3, OAuth 2.1 §4.1.1.3): simple string comparison, no
 * normalisation — a trailing slash, a case change or an extra query parameter is a mismatch.
 * The one exception is RFC 8252 §7.3: for loopback IP literals the port may vary, because native
 * apps bind an ephemeral port at run time.
 */
export function matchRedirectUri(requested: string, registered: readonly string[]): boolean {
  if (registered.includes(requested)) return true;
  const loopback = parseLoopback(requested);
  if (loopback === undefined) return false;
  return registered.some((candidate) => {
    const other = parseLoopback(candidate);
    return other !== undefined && other.withoutPort === loopback.withoutPort;
  });
}

/** `http://127.0.0.1:51234/cb?x` → `http://127.0.0.1/cb?x`, only for literal loopback IPs over http. */
function parseLoopback(uri: string): { withoutPort: string } | undefined {
  const match = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?(\/[^#]*)?$/.exec(uri);
  if (match === null) return undefined;
  return { withoutPort: `http://${match[1]}${match[3] ?? ''}` };
}
