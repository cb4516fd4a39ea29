import { randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { InvalidToken } from '@lanyard/errors';
import type { SigningAlg, VerificationKey } from '@lanyard/signing-keys';

/**
 * Compact JWS with ES256 or RS256 through node:crypto directly. It is synchronous and runs on the
 * main thread, so signing never queues behind Argon2 on libuv's thread pool
 * (docs/reference/performance-budget.md), and it is ~30 % faster than going through WebCrypto.
 * Only what we issue is supported: ES256 and RS256 (RFC 7518 §3.4, §3.3), our own `typ`s.
 */
export interface JwtHeader {
  readonly alg: SigningAlg;
  readonly typ: string;
  readonly kid: string;
}

/** ES256 signatures are R‖S (RFC 7518 §3.4), not DER; RS256 is RSASSA-PKCS1-v1_5 with SHA-256. */
const signatureOptions = (alg: SigningAlg, key: KeyObject) => (alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : { key });

export type JwtPayload = Record<string, unknown>;

const encodeJson = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwt(header: JwtHeader, payload: JwtPayload, key: KeyObject): string {
  const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
  const signature = sign('sha256', Buffer.from(signingInput), signatureOptions(header.alg, key));
  return `${signingInput}.${signature.toString('base64url')}`;
}

export const newJti = () => randomUUID();

export interface VerifyJwtOptions {
  /** Accepted `typ` values, compared case-insensitively (RFC 7515 §4.1.9), `application/` prefix optional. */
  readonly typ: string;
  readonly issuer: string;
  readonly resolveKey: (kid: string) => VerificationKey | undefined;
  /** "Now" in epoch milliseconds, from the caller's clock. */
  readonly now: number;
  /** Seconds of tolerated clock skew on `exp`, `nbf` and `iat`. */
  readonly leewaySeconds?: number;
}

/**
 * Verifies one of our own JWTs. Rules, each answered with `invalid_token` (RFC 6750 §3.1):
 * - exactly three base64url parts with JSON objects;
 * - `alg` is ES256 or RS256 (rejects `none`, and HS256 signed with our public key — the
 *   key-confusion attack), and it is the algorithm of the key `kid` names (RFC 8725 §3.1);
 * - `typ` matches, `kid` names a published key, no `crit` extensions we do not understand;
 * - the signature verifies; `iss` matches; `exp` in the future, `nbf`/`iat` not in the future.
 */
export function verifyJwt(token: string, options: VerifyJwtOptions): { header: JwtHeader; payload: JwtPayload } {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) throw invalid('malformed JWT');
  const [rawHeader, rawPayload, rawSignature] = parts as [string, string, string];
  const header = decodeObject(rawHeader, 'header');
  if (header.alg !== 'ES256' && header.alg !== 'RS256') throw invalid(`unsupported alg ${String(header.alg)}`);
  if (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== normalizeTyp(options.typ)) throw invalid('unexpected typ');
  if (header.crit !== undefined) throw invalid('unsupported crit header');
  if (typeof header.kid !== 'string') throw invalid('missing kid');
  const key = options.resolveKey(header.kid);
  if (key === undefined) throw invalid('unknown kid');
  if (key.alg !== header.alg) throw invalid(`alg ${header.alg} does not match the key's ${key.alg}`);
  const signature = Buffer.from(rawSignature, 'base64url');
  const expectedLength = key.alg === 'ES256' ? 64 : (key.publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (signature.length !== expectedLength) throw invalid('bad signature length');
  const valid = verify('sha256', Buffer.from(`${rawHeader}.${rawPayload}`), signatureOptions(key.alg, key.publicKey), signature);
  if (!valid) throw invalid('signature mismatch');

  const payload = decodeObject(rawPayload, 'payload');
  const now = Math.floor(options.now / 1000);
  const leeway = options.leewaySeconds ?? 0;
  if (payload.iss !== options.issuer) throw invalid('issuer mismatch');
  if (typeof payload.exp !== 'number' || payload.exp + leeway <= now) throw invalid('expired');
  if (typeof payload.nbf === 'number' && payload.nbf - leeway > now) throw invalid('not yet valid');
  if (typeof payload.iat === 'number' && payload.iat - leeway - 60 > now) throw invalid('issued in the future');
  return { header: header as unknown as JwtHeader, payload };
}

/** True when `aud` (a string or an array, RFC 7519 §4.1.3) contains `audience`. */
export function audienceIncludes(aud: unknown, audience: string): boolean {
  return aud === audience || (Array.isArray(aud) && aud.includes(audience));
}

function decodeObject(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw invalid(`${what} is not a JSON object`);
}

const normalizeTyp = (typ: string) => typ.toLowerCase().replace(/^application\//, '');

const invalid = (detail: string) => new InvalidToken('The access token is invalid or expired.', { detail });
