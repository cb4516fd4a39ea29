import type { FastifyInstance } from 'fastify';
import { InvalidRequest, UnauthorizedClient } from '@lanyard/errors';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import type { AccessTokenDenylist } from '../domain/tokens/access-token-denylist.js';
import type { AccessTokenVerifier } from '../domain/tokens/access-token-service.js';
import type { RefreshTokenService } from '../domain/tokens/refresh-token-service.js';
import { expiredCookie, refreshCookieName, refreshCookieOptions } from './cookies.js';
import { loadTenant } from './load-tenant.js';
import { readForm } from './read-form.js';
import { unlessInvalidToken } from './unless-invalid-token.js';
import { authenticateClient, type ClientAuthenticationDeps } from './token/authenticate-client.js';
import { checkCookieRefresh } from './token/refresh-delivery.js';

export interface RevokeEndpointDeps extends ClientAuthenticationDeps {
  readonly tenants: TenantLookup;
  readonly refreshTokens: Pick<RefreshTokenService, 'findFamily' | 'revokeFamily'>;
  readonly accessTokens: AccessTokenVerifier;
  readonly denylist: Pick<AccessTokenDenylist, 'add'>;
}

/**
 * Token revocation (RFC 7009). Rules:
 * - the client authenticates as at the token endpoint (public clients by client_id);
 * - a refresh token revokes its whole family; an access token is deny-listed until it expires;
 * - a token issued to another client is refused (`unauthorized_client`, §2.1);
 * - an unknown, malformed or already invalid token answers 200 all the same (§2.2), so the
 *   endpoint cannot be used to probe which tokens exist;
 * - a browser client may revoke the refresh cookie (allowed Origin + CSRF header), which is cleared.
 */
export function registerRevokeEndpoint(app: FastifyInstance, deps: RevokeEndpointDeps): void {
  app.post('/tenants/:tenant/oauth2/revoke', { config: { errorFormat: 'oauth' }, schema: { hide: true } }, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const params = readForm(request);
    const { client } = await authenticateClient(request, params, tenant, deps);
    let token = params.get('token');
    const cookieName = refreshCookieName(client.clientId);
    if (token === undefined && client.type === 'public' && request.cookies[cookieName] !== undefined) {
      checkCookieRefresh(request, client);
      token = request.cookies[cookieName]!;
      reply.setCookie(cookieName, '', expiredCookie(refreshCookieOptions(tenant.name, 0, 'strict')));
    }
    if (token === undefined) throw new InvalidRequest('Missing required parameter: token.');

    const family = await deps.refreshTokens.findFamily(token, tenant.id);
    if (family !== undefined) {
      if (family.clientRef !== client.id) throw new UnauthorizedClient('The token was not issued to this client.');
      await deps.refreshTokens.revokeFamily(family.id, 'revoked_by_client');
      request.log.info({ ...request.logFields, event: 'revoke', familyId: family.id }, 'refresh token family revoked');
    } else if (token.split('.').length === 3) {
      const claims = await deps.accessTokens.verify(tenant, token).catch(unlessInvalidToken);
      if (claims !== undefined) {
        if (claims.client_id !== client.clientId) throw new UnauthorizedClient('The token was not issued to this client.');
        await deps.denylist.add(claims.jti, new Date(claims.exp * 1000));
        request.log.info({ ...request.logFields, event: 'revoke', jti: claims.jti }, 'access token revoked');
      }
    }
    return reply.header('cache-control', 'no-store').code(200).send();
  });
}
