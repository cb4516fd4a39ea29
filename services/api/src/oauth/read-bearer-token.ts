import type { FastifyRequest } from 'fastify';
import { InvalidRequest, InvalidToken } from '@lanyard/errors';

/**
 * The bearer token of a protected-resource request (RFC 6750 §2): the Authorization header, or the
 * form body (`access_token`, §2.2). Never the query string (§2.3: it leaks into logs and history).
 * A request with no token gets the bare challenge (§3.1: no error code).
 */
export function readBearerToken(request: FastifyRequest, realm: string): string {
  const header = request.headers.authorization;
  const body = request.method === 'POST' && request.headers['content-type']?.startsWith('application/x-www-form-urlencoded')
    ? (request.body as Record<string, unknown> | undefined)?.access_token
    : undefined;
  if (header !== undefined && body !== undefined) throw new InvalidRequest('Send the access token in one place only.', { headers: { 'www-authenticate': `Bearer realm="${realm}", error="invalid_request"` } });
  if (header !== undefined) {
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
    if (match === null) throw new InvalidToken('Malformed Authorization header.', { headers: { 'www-authenticate': `Bearer realm="${realm}", error="invalid_token"` } });
    return match[1]!;
  }
  if (typeof body === 'string' && body !== '') return body;
  throw new InvalidToken('An access token is required.', { headers: { 'www-authenticate': `Bearer realm="${realm}"` } });
}
