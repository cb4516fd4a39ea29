/**
 * Which redirect URIs may be registered (RFC 9700 §2.1, OAuth 2.1 §2.3, RFC 8252 §7):
 * - absolute, no fragment (RFC 6749 §3.1.2), a port (if any) a socket can bind: 1–65535;
 * - `https`, or `http` only on a loopback host (native apps, RFC 8252 §7.3 — `localhost` is allowed
 *   for registration convenience but 127.0.0.1 / [::1] are recommended);
 * - or a private-use scheme in reverse-domain form (RFC 8252 §7.1), e.g. `com.example.app:/cb`.
 * Returns a reason when the URI is not acceptable.
 */
export function redirectUriProblem(value: string): string | undefined {
  const port = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*:([0-9]*)(?:[/?#]|$)/i.exec(value)?.[1];
  if (port !== undefined && port !== '' && (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65_535)) return 'port must be 1-65535 without leading zeros';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URI';
  }
  if (value.includes('#')) return 'must not contain a fragment (RFC 6749 §3.1.2)';

  if (url.username !== '' || url.password !== '') return 'must not contain user information';
  const scheme = url.protocol.slice(0, -1);
  if (scheme === 'https') return undefined;
  if (scheme === 'http') return isLoopbackHost(url.hostname) ? undefined : 'http is allowed only for loopback hosts; use https';
  if (/^[a-z][a-z0-9+.-]*\.[a-z0-9+.-]+$/.test(scheme)) return undefined;
  return 'must use https, loopback http, or a reverse-domain private-use scheme';
}

export function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}

/** An allowed CORS origin is exactly `scheme://host[:port]`, the serialization of an origin. */
export function originProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an origin like https://app.example.com';
  }
  if (url.origin === 'null' || url.origin !== value) return 'must be an origin (scheme://host[:port]) with no path or trailing slash';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) return 'must be https (or loopback http)';
  return undefined;
}
