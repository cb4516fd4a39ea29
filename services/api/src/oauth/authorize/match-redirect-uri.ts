import type { RegisteredClient } from '../../domain/clients/client-service.js';

/** A port as a URL may carry it and a socket may bind it: 1–65535, no leading zeros. */
const PORT = /^[1-9][0-9]{0,4}$/;

/**
 * Exact redirect URI matching (RFC 9700 §4.1.3, OAuth 2.1 §4.1.1.3): simple string comparison, no
 * normalisation — a trailing slash, a case change or an extra query parameter is a mismatch.
 * The one exception is RFC 8252 §7.3: for loopback IP literals the port may vary, because a native
 * app binds an ephemeral port at run time. It applies to native apps only — public clients that
 * are not browser apps (no allowed CORS origins) — and only to a port a socket could bind.
 */
export function matchRedirectUri(requested: string, client: Pick<RegisteredClient, 'type' | 'allowedCorsOrigins' | 'redirectUris'>): boolean {
  if (client.redirectUris.includes(requested)) return true;
  const nativeApp = client.type === 'public' && client.allowedCorsOrigins.length === 0;
  if (!nativeApp) return false;
  const loopback = parseLoopback(requested);
  if (loopback === undefined) return false;
  return client.redirectUris.some((candidate) => {
    const other = parseLoopback(candidate);
    return other !== undefined && other.withoutPort === loopback.withoutPort;
  });
}

/** `http://127.0.0.1:51234/cb?x` → `http://127.0.0.1/cb?x`, only for literal loopback IPs over http with a valid port. */
function parseLoopback(uri: string): { withoutPort: string } | undefined {
  const match = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::([0-9]+))?(\/[^#]*)?$/.exec(uri);
  if (match === null) return undefined;
  const port = match[2];
  if (port !== undefined && (!PORT.test(port) || Number(port) > 65_535)) return undefined;
  return { withoutPort: `http://${match[1]}${match[3] ?? ''}` };
}
