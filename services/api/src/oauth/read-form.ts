import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from '@lanyard/errors';

/** Parameters that may legitimately repeat: RFC 8707 §2 allows several `resource` values. */
const REPEATABLE = new Set(['resource']);

/**
 * No OAuth parameter holds control characters (RFC 6749 Appendix A: VSCHAR, NQCHAR and URI
 * references are all printable), and neither do the hosted forms' fields. PostgreSQL cannot store
 * NUL, so this is also where such input stops instead of becoming a 500.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001F\u007F]/;

/** Longer than any legitimate value (a redirect URI ≤ 2000, a JWT hint of a few KiB). */
const MAX_VALUE_LENGTH = 8_192;

/**
 * The parameters of a form-encoded OAuth request. Rules:
 * - the body must be `application/x-www-form-urlencoded` (RFC 6749 §3.2);
 * - no parameter may appear more than once (RFC 6749 §3.1, §3.2), except `resource`;
 * - empty values are treated as absent (§3.1);
 * - no value holds control characters or exceeds {@link MAX_VALUE_LENGTH} (`invalid_request`
 *   naming the parameter).
 */
export class OAuthParams {
  constructor(
    private readonly single: ReadonlyMap<string, string>,
    private readonly multi: ReadonlyMap<string, readonly string[]>,
  ) {}

  get(name: string): string | undefined {
    return this.single.get(name);
  }

  require(name: string): string {
    const value = this.single.get(name);
    if (value === undefined) throw new InvalidRequest(`Missing required parameter: ${name}.`);
    return value;
  }

  all(name: string): readonly string[] {
    return this.multi.get(name) ?? [];
  }

  /** Parses an already-decoded record (fastify's formbody / querystring output). */
  static from(record: Record<string, unknown> | undefined | null): OAuthParams {
    const single = new Map<string, string>();
    const multi = new Map<string, string[]>();
    for (const [name, value] of Object.entries(record ?? {})) {
      const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
      if (values.length === 0) continue;
      for (const v of values) {
        if (CONTROL_CHARACTER.test(v)) throw new InvalidRequest(`Parameter ${safeName(name)} must not contain control characters.`, { detail: 'control character in parameter' });
        if (v.length > MAX_VALUE_LENGTH) throw new InvalidRequest(`Parameter ${safeName(name)} is too long.`);
      }
      if (REPEATABLE.has(name)) {
        multi.set(name, values);
        continue;
      }
      if (values.length > 1) throw new InvalidRequest(`Parameter ${name} must not be repeated.`);
      single.set(name, values[0]!);
    }
    return new OAuthParams(single, multi);
  }
}

/** A parameter name as it may appear in an error message: printable and short. */
function safeName(name: string): string {
  return name.replace(/[^\x21-\x7E]/g, '?').slice(0, 40);
}

export function readForm(request: FastifyRequest): OAuthParams {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequest('The request body must be application/x-www-form-urlencoded.');
  }
  return OAuthParams.from(request.body as Record<string, unknown>);
}
