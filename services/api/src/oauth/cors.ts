import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ClientService } from '../domain/clients/client-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { loadTenant } from './load-tenant.js';
import { CSRF_HEADER } from './token/refresh-delivery.js';

/** Endpoints browser apps call with fetch (CORS); everything else is navigation or server-to-server. */
const CORS_PATHS = ['/oauth2/token', '/oauth2/revoke', '/oauth2/userinfo'];

export interface CorsDeps {
  readonly tenants: TenantLookup;
  readonly clients: Pick<ClientService, 'isAllowedOrigin'>;
}

/**
 * CORS for browser clients: an origin is allowed at a tenant when one of its clients registered it
 * (`allowedCorsOrigins`). Credentialed (cookies) because browser clients refresh with the HttpOnly
 * cookie; per-client origin checks happen again at the endpoint, so one client's origin never
 * gains another client's cookie. Preflights are cached by the browser for 10 minutes.
 */
export function registerCors(app: FastifyInstance, deps: CorsDeps): void {
  const originAllowed = async (request: FastifyRequest, origin: string) => {
    const tenant = await loadTenant(deps.tenants, request);
    return deps.clients.isAllowedOrigin(tenant.id, origin);
  };

  for (const path of CORS_PATHS) {
    app.options(`/tenants/:tenant${path}`, { schema: { hide: true } }, async (request, reply) => {
      const origin = request.headers.origin;
      reply.header('vary', 'Origin');
      if (origin === undefined || !(await originAllowed(request, origin))) return reply.code(204).send();
      return reply
        .code(204)
        .header('access-control-allow-origin', origin)
        .header('access-control-allow-credentials', 'true')
        .header('access-control-allow-methods', path === '/oauth2/userinfo' ? 'GET, POST' : 'POST')
        .header('access-control-allow-headers', `authorization, content-type, ${CSRF_HEADER}`)
        .header('access-control-max-age', '600')
        .send();
    });
  }

  // Callback-style, so the common case (no Origin: servers, curl) answers without a promise.
  app.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    const origin = request.headers.origin;
    const route = request.routeOptions.url;
    if (origin === undefined || route === undefined || request.method === 'OPTIONS' || !CORS_PATHS.some((p) => route === `/tenants/:tenant${p}`)) {
      done(null, payload);
      return;
    }
    reply.header('vary', 'Origin');
    originAllowed(request, origin)
      .catch(() => false)
      .then((allowed) => {
        if (allowed) reply.header('access-control-allow-origin', origin).header('access-control-allow-credentials', 'true');
        done(null, payload);
      });
  });
}
