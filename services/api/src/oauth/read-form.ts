import type { FastifyRequest } from 'fastify';
import { InvalidRequest } from '@lanyard/errors';

/** Parameters that may legitimately repeat: RFC 8707 §2 allows several `resource` values. */
const REPEATABLE = new Set(['resource']);

/**
 * The parameters of a form-encoded OAuth request. Rules:
 * - the body must be `application/x-www-form-urlencoded` (RFC 6749 §3.2);
 * - no parameter may appear more than once (RFC 6749 §3.1, §3.2), except `resource`;
 * - empty values are treated as absent (§3.1).
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

export function readForm(request: FastifyRequest): OAuthParams {
  const type = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequest('The request body must be application/x-www-form-urlencoded.');
  }
  return OAuthParams.from(request.body as Record<string, unknown>);
}
