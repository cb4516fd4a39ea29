import * as z from 'zod/mini';

/**
 * Field builders for environment variables. Each one accepts the raw string (or undefined) and
 * yields a typed value, with messages written for the person reading the crash line.
 *
 * Built on zod/mini: the same parser as zod's chained API, but its functions tree-shake, so each
 * process bundles about 30 KB of it instead of 590 KB that stay in memory for the process's life.
 */

/** An empty variable (`PORT=`) counts as unset, so it takes the default. */
export const unsetWhenEmpty = <T extends z.ZodMiniType>(schema: T) => z.pipe(z.transform((value: unknown) => (value === '' ? undefined : value)), schema);

export const str = (fallback?: string) =>
  fallback === undefined ? unsetWhenEmpty(z.string({ error: 'is required' })) : unsetWhenEmpty(z._default(z.string(), fallback));

export const int = (fallback: number, min: number, max: number) =>
  unsetWhenEmpty(
    z._default(
      z.coerce.number({ error: 'must be an integer' }).check(
        z.refine(Number.isSafeInteger, { error: 'must be an integer' }),
        z.minimum(min, { error: `must be at least ${min}` }),
        z.maximum(max, { error: `must be at most ${max}` }),
      ),
      fallback,
    ),
  );

const BOOLEAN = z.enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' });
type BooleanWord = z.output<typeof BOOLEAN>;
const truthy = (v: BooleanWord) => v === 'true' || v === '1' || v === 'yes';

export const bool = (fallback: boolean) => unsetWhenEmpty(z.pipe(z._default(BOOLEAN, fallback ? 'true' : 'false'), z.transform(truthy)));

/** A boolean whose default depends on other variables: undefined when unset. */
export const optionalBool = () => unsetWhenEmpty(z.pipe(z.optional(BOOLEAN), z.transform((v: BooleanWord | undefined) => (v === undefined ? undefined : truthy(v)))));

export const oneOf = <T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  unsetWhenEmpty(z._default(z.enum(values, { error: `must be one of ${values.join(', ')}` }), fallback));

/** An absolute URL with one of the given schemes; the trailing slash is dropped so `${url}/path` joins cleanly. */
export const url = (schemes: readonly string[], fallback?: string) => {
  const base = z.pipe(
    z.string({ error: 'is required' }).check(
      z.refine(
        (value) => {
          try {
            return schemes.includes(new URL(value).protocol.slice(0, -1));
          } catch {
            return false;
          }
        },
        { error: `must be a ${schemes.map((s) => `${s}://`).join(' or ')} URL` },
      ),
    ),
    z.transform((value) => value.replace(/\/+$/, '')),
  );
  return unsetWhenEmpty(fallback === undefined ? base : z._default(base, fallback));
};

/** A secret of at least `minLength` characters (high entropy expected; we only check the length). */
export const secret = (minLength: number) =>
  unsetWhenEmpty(z.string({ error: 'is required' }).check(z.minLength(minLength, { error: `must be at least ${minLength} characters` })));

/** 32 bytes, base64 or base64url encoded — an AES-256 key. */
export const key256 = () =>
  unsetWhenEmpty(
    z.pipe(
      z.string({ error: 'is required (32 random bytes, base64; e.g. `openssl rand -base64 32`)' }),
      z.transform((value, payload) => {
        const bytes = Buffer.from(value, /[-_]/.test(value) ? 'base64url' : 'base64');
        if (bytes.length !== 32) {
          payload.issues.push({ code: 'custom', input: value, message: `must decode to 32 bytes (got ${bytes.length}); use \`openssl rand -base64 32\`` });
          return z.NEVER;
        }
        return bytes;
      }),
    ),
  );

/**
 * An OAuth client id as the admin API accepts it: `[A-Za-z0-9][A-Za-z0-9._-]{0,127}`, and not
 * shaped like a UUID (user subjects are UUIDs; RFC 9068 §5 asks that clients and users never collide).
 */
export const clientId = (fallback: string) =>
  unsetWhenEmpty(
    z._default(
      z.string().check(
        z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/, { error: 'must be 1-128 characters of A-Z a-z 0-9 . _ - (starting with a letter or digit)' }),
        z.refine((value) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value), { error: 'must not have the form of a UUID (those are user subjects)' }),
      ),
      fallback,
    ),
  );

/** A DNS label (RFC 1123), e.g. a tenant name. */
export const dnsLabel = (fallback: string) =>
  unsetWhenEmpty(z._default(z.string().check(z.regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: 'must be a DNS label (lowercase letters, digits, -)' })), fallback));
