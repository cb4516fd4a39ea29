import { z } from 'zod';

/**
 * Field builders for environment variables. Each one accepts the raw string (or undefined) and
 * yields a typed value, with messages written for the person reading the crash line.
 */

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

export const str = (fallback?: string) =>
  fallback === undefined
    ? z.preprocess(emptyToUndefined, z.string({ error: 'is required' }))
    : z.preprocess(emptyToUndefined, z.string().default(fallback));

export const int = (fallback: number, min: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ error: 'must be an integer' })
      .int({ error: 'must be an integer' })
      .min(min, { error: `must be at least ${min}` })
      .max(max, { error: `must be at most ${max}` })
      .default(fallback),
  );

const BOOLEAN = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' });
const truthy = (v: string) => v === 'true' || v === '1' || v === 'yes';

export const bool = (fallback: boolean) =>
  z.preprocess(emptyToUndefined, BOOLEAN.default(fallback ? 'true' : 'false').transform(truthy));

/** A boolean whose default depends on other variables: undefined when unset. */
export const optionalBool = () => z.preprocess(emptyToUndefined, BOOLEAN.optional().transform((v) => (v === undefined ? undefined : truthy(v))));

export const oneOf = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess(emptyToUndefined, z.enum(values, { error: `must be one of ${values.join(', ')}` }).default(fallback));

/** An absolute URL with one of the given schemes; the trailing slash is dropped so `${url}/path` joins cleanly. */
export const url = (schemes: readonly string[], fallback?: string) => {
  const base = z
    .string({ error: 'is required' })
    .refine(
      (value) => {
        try {
          return schemes.includes(new URL(value).protocol.slice(0, -1));
        } catch {
          return false;
        }
      },
      { error: `must be a ${schemes.map((s) => `${s}://`).join(' or ')} URL` },
    )
    .transform((value) => value.replace(/\/+$/, ''));
  return z.preprocess(emptyToUndefined, fallback === undefined ? base : base.default(fallback));
};

/** A secret of at least `minLength` characters (high entropy expected; we only check the length). */
export const secret = (minLength: number) =>
  z.preprocess(
    emptyToUndefined,
    z.string({ error: 'is required' }).min(minLength, { error: `must be at least ${minLength} characters` }),
  );

/** 32 bytes, base64 or base64url encoded — an AES-256 key. */
export const key256 = () =>
  z.preprocess(
    emptyToUndefined,
    z
      .string({ error: 'is required (32 random bytes, base64; e.g. `openssl rand -base64 32`)' })
      .transform((value, ctx) => {
        const bytes = Buffer.from(value, /[-_]/.test(value) ? 'base64url' : 'base64');
        if (bytes.length !== 32) {
          ctx.addIssue({ code: 'custom', message: `must decode to 32 bytes (got ${bytes.length}); use \`openssl rand -base64 32\`` });
          return z.NEVER;
        }
        return bytes;
      }),
  );

/**
 * An OAuth client id as the admin API accepts it: `[A-Za-z0-9][A-Za-z0-9._-]{0,127}`, and not
 * shaped like a UUID (user subjects are UUIDs; RFC 9068 §5 asks that clients and users never collide).
 */
export const clientId = (fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { error: 'must be 1-128 characters of A-Z a-z 0-9 . _ - (starting with a letter or digit)' })
      .refine((value) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value), { error: 'must not have the form of a UUID (those are user subjects)' })
      .default(fallback),
  );

/** A DNS label (RFC 1123), e.g. a tenant name. */
export const dnsLabel = (fallback: string) =>
  z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: 'must be a DNS label (lowercase letters, digits, -)' })
      .default(fallback),
  );
