import type { FastifyInstance, FastifyReply } from 'fastify';
import { STYLESHEET } from '../pages/stylesheet.js';
import { WEBAUTHN_SCRIPT } from '../pages/webauthn-script.js';

/** The hosted pages' stylesheet and passkey script, at the root and under every issuer (pages link the latter). */
export function registerAssetRoutes(app: FastifyInstance): void {
  const serve = async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').header('x-content-type-options', 'nosniff').send(STYLESHEET);
  app.get('/assets/lanyard.css', { schema: { hide: true } }, serve);
  app.get('/tenants/:tenant/assets/lanyard.css', { schema: { hide: true } }, serve);
  const script = async (_request: unknown, reply: FastifyReply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').header('x-content-type-options', 'nosniff').header('cross-origin-resource-policy', 'same-origin').send(WEBAUTHN_SCRIPT);
  app.get('/assets/webauthn.js', { schema: { hide: true } }, script);
  app.get('/tenants/:tenant/assets/webauthn.js', { schema: { hide: true } }, script);
}
