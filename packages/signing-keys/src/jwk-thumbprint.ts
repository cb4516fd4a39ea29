import { createHash } from 'node:crypto';

/** The members of a public JWK that its RFC 7638 thumbprint covers (others are ignored). */
export type ThumbprintMembers =
  | { readonly kty: 'EC'; readonly crv: string; readonly x: string; readonly y: string }
  | { readonly kty: 'RSA'; readonly n: string; readonly e: string };

/**
 * RFC 7638 §3.2: SHA-256 over a JSON object of the required members only, in lexicographic order
 * and without whitespace, base64url. EC: `{"crv","kty","x","y"}` (§3.2); RSA: `{"e","kty","n"}`
 * (§3.1). JSON.stringify keeps insertion order and adds no whitespace, and escapes anything a
 * base64url value could not contain anyway.
 */
export function jwkThumbprint(jwk: ThumbprintMembers): string {
  let canonical: string;
  switch (jwk.kty) {
    case 'EC':
      canonical = JSON.stringify({ crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y });
      break;
    case 'RSA':
      canonical = JSON.stringify({ e: jwk.e, kty: 'RSA', n: jwk.n });
      break;
    default:
      throw new TypeError(`no RFC 7638 thumbprint for kty ${String((jwk as { kty: unknown }).kty)}`);
  }
  return createHash('sha256').update(canonical).digest('base64url');
}
