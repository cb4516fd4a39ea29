import type { FastifyInstance } from 'fastify';
import { InvalidClient } from '@lanyard/errors';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import type { AccessTokenCheck } from '../domain/tokens/access-token-validator.js';
import type { RefreshTokenService } from '../domain/tokens/refresh-token-service.js';
import { loadTenant } from './load-tenant.js';
import { readForm } from './read-form.js';
import { unlessInvalidToken } from './unless-invalid-token.js';
import { authenticateClient, type ClientAuthenticationDeps } from './token/authenticate-client.js';

export interface IntrospectEndpointDeps extends ClientAuthenticationDeps {
  readonly tenants: TenantLookup;
  readonly accessTokenCheck: AccessTokenCheck;
  readonly refreshTokens: Pick<RefreshTokenService, 'findActive'>;
}

/**
 * Token introspection (RFC 7662). Rules:
 * - only authenticated (confidential) clients may introspect (§2.1: the endpoint must be protected,
 *   or it becomes a token-scanning oracle);
 * - access tokens: the same checks as every place that accepts them ({@link AccessTokenCheck}:
 *   signature, issuer, expiry, deny-list, a still-registered and enabled client, an enabled user);
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
      const validated = await deps.accessTokenCheck.validate(tenant, deps.tenants.issuer(tenant.name), token).catch(unlessInvalidToken);
      if (validated === undefined) return undefined;
      const { iss, sub, aud, exp, iat, jti, client_id, scope } = validated.claims;
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
