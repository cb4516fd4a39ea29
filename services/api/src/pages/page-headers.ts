import type { FastifyReply } from 'fastify';

/**
 * Security headers of every hosted page:
 * - CSP with no script at all (a page with a passkey form: only our WebAuthn script, by nonce),
 *   styles only from our origin, and `frame-ancestors 'none'` (clickjacking; RFC 9700 §4.16);
 * - `form-action` lists where our forms may navigate: ourselves plus, during an authorization
 *   request, the client's redirect URI origin (Chromium enforces form-action on redirects after a POST);
 * - no referrer, so codes and state never leak through `Referer`.
 */
export function applyPageHeaders(reply: FastifyReply, formActionSources: readonly string[] = [], scriptNonce?: string): FastifyReply {
  const formAction = ["'self'", ...formActionSources].join(' ');
  // Only a page with a passkey form runs a script: ours, by nonce; never inline, never another origin.
  const script = scriptNonce === undefined ? '' : ` script-src 'nonce-${scriptNonce}';`;
  return reply
    .header(
      'content-security-policy',
      `default-src 'none';${script} style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'none'`,
    )
    .header('x-frame-options', 'DENY')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .header('cross-origin-opener-policy', 'same-origin');
}

/** CSP sources for a redirect URI: its origin, or `scheme:` for private-use schemes (RFC 8252 §7.1). */
export function formActionSources(redirectUri: string): string[] {
  try {
    const url = new URL(redirectUri);
    return [url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : url.protocol];
  } catch {
    return [];
  }
}
