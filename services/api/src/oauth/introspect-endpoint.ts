import type { FastifyInstance } from 'fastify';
import { InvalidClient } from '@lanyard/errors';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import type { AccessTokenDenylist } from '../domain/tokens/access-token-denylist.js';
import type { AccessTokenVerifier } from '../domain/tokens/access-token-service.js';
import type { RefreshTokenService } from '../domain/tokens/refresh-token-service.js';
import type { UserLookup } from '../domain/users/user-service.js';
import { loadTenant } from './load-tenant.js';
import { readForm } from './read-form.js';
import { authenticateClient, type ClientAuthenticationDeps } from './token/authenticate-client.js';

export interface IntrospectEndpointDeps extends ClientAuthenticationDeps {
  readonly tenants: TenantLookup;
  readonly accessTokens: AccessTokenVerifier;
  readonly denylist: Pick<AccessTokenDenylist, 'has'>;
  readonly users: Pick<UserLookup, 'findById'>;
  readonly refreshTokens: Pick<RefreshTokenService, 'findActive'>;
}

/**
 * Token introspection (RFC 7662). Rules:
 * - only authenticated (confidential) clients may introspect (§2.1: the endpoint must be protected,
 *   or it becomes a token-scanning oracle);
 * - access tokens: signature, issuer (this tenant), expiry, deny-list, and a still-enabled user;
 * - refresh tokens: live family, and only the client they were issued to may introspect them;
 * - anything else is `{"active": false}` with nothing more (§2.2).
 */
export function registerIntrospectEndpoint(app: FastifyInstance, deps: IntrospectEndpointDeps): void {
  app.post('/tenants/:tenant/oauth2/introspect', { config: { errorFormat: 'oauth' }, schema: { hide: true } }, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const params = readForm(request);
    const { client } = await authenticateClient(request, params, tenant, deps);
    if (client.type !== 'confidential') throw new InvalidClient('Introspection requires an authenticated client.');
    const token = params.require('token');
    const hint = params.get('token_type_hint');
    reply.header('cache-control', 'no-store');

    const asAccess = async () => {
      if (token.split('.').length !== 3) return undefined;
      const claims = await deps.accessTokens.verify(tenant, token).catch(() => undefined);
      if (claims === undefined || (await deps.denylist.has(claims.jti))) return undefined;
      if (claims.auth_time !== undefined) {
        const user = await deps.users.findById(tenant.id, claims.sub);
        if (user === undefined || user.disabled) return undefined;
      }
      const { iss, sub, aud, exp, iat, jti, client_id, scope } = claims;
      return { active: true, token_type: 'Bearer', iss, sub, aud, exp, iat, jti, client_id, ...(scope === undefined ? {} : { scope }) };
    };
    const asRefresh = async () => {
      const family = await deps.refreshTokens.findActive(token, tenant.id);
      if (family === undefined || family.clientRef !== client.id) return undefined;
      return {
        active: true,
        token_type: 'refresh_token',
        iss: deps.tenants.issuer(tenant.name),
        sub: family.userId,
        client_id: client.clientId,
        scope: family.scopes.join(' '),
        iat: Math.floor(family.createdAt.getTime() / 1000),
        exp: Math.floor(family.absoluteExpiresAt.getTime() / 1000),
      };
    };
    const order = hint === 'refresh_token' ? [asRefresh, asAccess] : [asAccess, asRefresh];
    for (const attempt of order) {
      const result = await attempt();
      if (result !== undefined) return reply.send(result);
    }
    return reply.send({ active: false });
  });
}
