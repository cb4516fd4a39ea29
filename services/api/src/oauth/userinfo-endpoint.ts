import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InsufficientScope, InvalidToken } from '@lanyard/errors';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import type { AccessTokenCheck } from '../domain/tokens/access-token-validator.js';
import { userClaims } from '../domain/tokens/user-claims.js';
import { loadTenant } from './load-tenant.js';
import { readBearerToken } from './read-bearer-token.js';

export interface UserinfoEndpointDeps {
  readonly tenants: TenantLookup;
  readonly accessTokenCheck: AccessTokenCheck;
}

/**
 * UserInfo (OIDC Core §5.3). Rules:
 * - an access token of *this* tenant that passes {@link AccessTokenCheck} — valid, unrevoked, its
 *   client still allowed to hold it (RFC 6750; errors carry a Bearer challenge);
 * - the token was granted `openid` (else 403 `insufficient_scope`);
 * - it was issued to a user (client_credentials tokens have no user) who still exists and is enabled;
 * - claims follow the granted scopes (§5.4) plus those requested for userinfo through the `claims`
 *   parameter (§5.5); `sub` always; a claim without a value is omitted.
 */
export function registerUserinfoEndpoint(app: FastifyInstance, deps: UserinfoEndpointDeps): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const realm = tenant.name;
    const challenge = (error: string) => ({ headers: { 'www-authenticate': `Bearer realm="${realm}", error="${error}"` } });
    const token = readBearerToken(request, realm);
    let validated;
    try {
      validated = await deps.accessTokenCheck.validate(tenant, deps.tenants.issuer(tenant.name), token);
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
      throw new InvalidToken('The access token is invalid, expired or revoked.', { ...challenge('invalid_token'), detail: error.detail });
    }
    const { claims, user } = validated;
    const scopes = (claims.scope ?? '').split(' ');
    if (!scopes.includes('openid')) {
      throw new InsufficientScope('The access token was not granted the openid scope.', { headers: { 'www-authenticate': `Bearer realm="${realm}", error="insufficient_scope", scope="openid"` } });
    }
    if (user === undefined) throw new InvalidToken('The access token does not belong to a user.', { ...challenge('invalid_token'), detail: 'client token at userinfo' });
    const requested = Array.isArray(claims.userinfo_claims) ? claims.userinfo_claims.filter((c): c is string => typeof c === 'string') : [];
    return reply.header('cache-control', 'no-store').send({ sub: user.id, ...userClaims(user, scopes, requested) });
  };
  const options = { config: { errorFormat: 'oauth' as const }, schema: { hide: true } };
  app.get('/tenants/:tenant/oauth2/userinfo', options, handler);
  app.post('/tenants/:tenant/oauth2/userinfo', options, handler);
}
