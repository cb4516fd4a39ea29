import type { FastifyReply, FastifyRequest } from 'fastify';
import { constantTimeEqual } from '@lanyard/security';

/**
 * An `onRequest` hook enforcing HTTP Basic auth (RFC 7617). Both the user and the password are
 * compared in constant time, and both comparisons always run, so timing reveals neither which part
 * was wrong nor how much of it matched.
 */
export function basicAuth(user: string, password: string, realm: string) {
  const challenge = `Basic realm="${realm}", charset="UTF-8"`;
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const credentials = readBasicCredentials(request.headers.authorization);
    const userOk = constantTimeEqual(credentials?.user ?? '', user);
    const passwordOk = constantTimeEqual(credentials?.password ?? '', password);
    if (credentials !== undefined && userOk && passwordOk) return;
    await reply
      .code(401)
      .header('www-authenticate', challenge)
      .header('cache-control', 'no-store')
      .type('application/problem+json')
      .send({ type: 'about:blank', title: 'Unauthorized', status: 401 });
  };
}

/** RFC 7617 §2: `Basic base64(user-id ":" password)`, the user-id being everything before the first colon. */
function readBasicCredentials(header: string | undefined): { user: string; password: string } | undefined {
  const match = /^Basic[ ]+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon === -1) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}
