import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InsufficientScope, InvalidToken, isLanyardError } from '@lanyard/errors';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import type { AccessTokenDenylist } from '../domain/tokens/access-token-denylist.js';
import type { AccessTokenVerifier } from '../domain/tokens/access-token-service.js';
import type { UserLookup } from '../domain/users/user-service.js';
import { userClaims } from '../domain/tokens/user-claims.js';
import { loadTenant } from './load-tenant.js';
import { readBearerToken } from './read-bearer-token.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface UserinfoEndpointDeps {
  readonly tenants: TenantLookup;
  readonly accessTokens: AccessTokenVerifier;
  readonly denylist: Pick<AccessTokenDenylist, 'has'>;
  readonly users: Pick<UserLookup, 'findById'>;
}

/**
 * UserInfo (OIDC Core §5.3). Rules:
 * - a valid, unrevoked access token of *this* tenant (RFC 6750; errors carry a Bearer challenge);
 * - the token was granted `openid` (else 403 `insufficient_scope`);
 * - it was issued to a user (client_credentials tokens have no user) who still exists and is enabled;
 * - claims follow the granted scopes (§5.4); `sub` always.
 */
export function registerUserinfoEndpoint(app: FastifyInstance, deps: UserinfoEndpointDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const realm = tenant.name;
    const challenge = (error: string) => ({ headers: { 'www-authenticate': `Bearer realm="${realm}", error="${error}"` } });
    const token = readBearerToken(request, realm);
    let claims;
    try {
      claims = await deps.accessTokens.verify(tenant, token);
    } catch (error) {
      throw new InvalidToken('The access token is invalid or expired.', { ...challenge('invalid_token'), detail: isLanyardError(error) ? error.detail : undefined });
    }
    if (await deps.denylist.has(claims.jti)) throw new InvalidToken('The access token was revoked.', { ...challenge('invalid_token'), detail: 'revoked jti' });
    const scopes = (claims.scope ?? '').split(' ');
    if (!scopes.includes('openid')) {
      throw new InsufficientScope('The access token was not granted the openid scope.', { headers: { 'www-authenticate': `Bearer realm="${realm}", error="insufficient_scope", scope="openid"` } });
    }
    const user = UUID.test(claims.sub) ? await deps.users.findById(tenant.id, claims.sub) : undefined;
    if (user === undefined || user.disabled) throw new InvalidToken('The access token does not belong to an active user.', { ...challenge('invalid_token'), detail: 'no active user' });
    return reply.header('cache-control', 'no-store').send({ sub: user.id, ...userClaims(user, scopes) });
  };
  const options = { config: { errorFormat: 'oauth' as const }, schema: { hide: true } };
  app.get('/tenants/:tenant/oauth2/userinfo', options, handler);
  app.post('/tenants/:tenant/oauth2/userinfo', options, handler);
}
