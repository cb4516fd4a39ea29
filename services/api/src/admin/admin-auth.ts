import type { FastifyRequest } from 'fastify';
import { ADMIN_AUDIENCE, ADMIN_SCOPE, SYSTEM_TENANT } from '@lanyard/contracts';
import { ForbiddenProblem, InvalidToken, ServiceUnavailableProblem, UnauthorizedProblem } from '@lanyard/errors';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import type { AccessTokenCheck } from '../domain/tokens/access-token-validator.js';
import { addLogFields } from '../http/log-fields.js';
import { audienceIncludes } from '../domain/tokens/jwt.js';

const REALM = 'realm="lanyard-admin"';

declare module 'fastify' {
  interface FastifyRequest {
    /** The admin client that called, once {@link authenticateAdmin} has passed. */
    adminClientId?: string;
  }
}

export interface AdminAuthDeps {
  readonly tenants: TenantLookup;
  readonly accessTokenCheck: AccessTokenCheck;
}

/**
 * Bearer authentication of the admin API (RFC 6750). Rules:
 * - `Authorization: Bearer <token>` only (no query or body tokens, §2.3 is discouraged);
 * - the token is a `system`-tenant access token that passes {@link AccessTokenCheck}: ES256,
 *   `typ: at+jwt`, unexpired, our issuer, not revoked (RFC 7009), and its client still exists, is
 *   enabled and still holds the scope — the same checks as userinfo and introspection;
 * - audience `urn:lanyard:admin-api`; scope `lanyard:admin`, else 403 `insufficient_scope`;
 * - failures answer 401 with a `WWW-Authenticate: Bearer` challenge carrying the RFC 6750 §3.1 code.
 */
export function adminAuthenticator(deps: AdminAuthDeps) {
  return async function authenticateAdmin(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization;
    if (header === undefined) throw new UnauthorizedProblem('A bearer token is required.', `Bearer ${REALM}`);
    const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*)$/i.exec(header);
    if (match === null) {
      throw new UnauthorizedProblem('Malformed Authorization header; expected "Bearer <token>".', `Bearer ${REALM}, error="invalid_request"`);
    }
    const system = await deps.tenants.find(SYSTEM_TENANT);
    if (system === undefined) throw new ServiceUnavailableProblem('The system tenant is not initialised yet.');
    let claims;
    try {
      ({ claims } = await deps.accessTokenCheck.validate(system, deps.tenants.issuer(system.name), match[1]!));
    } catch (error) {
      if (!(error instanceof InvalidToken)) throw error;
      throw new UnauthorizedProblem('The access token is invalid, expired or revoked.', `Bearer ${REALM}, error="invalid_token"`, { detail: error.detail });
    }
    if (!audienceIncludes(claims.aud, ADMIN_AUDIENCE)) {
      throw new UnauthorizedProblem('The access token is not meant for the admin API.', `Bearer ${REALM}, error="invalid_token"`, { detail: 'audience mismatch' });
    }
    const scopes = (claims.scope ?? '').split(' ');
    if (!scopes.includes(ADMIN_SCOPE)) {
      throw new ForbiddenProblem(`The access token lacks the ${ADMIN_SCOPE} scope.`, `Bearer ${REALM}, error="insufficient_scope", scope="${ADMIN_SCOPE}"`);
    }
    request.adminClientId = claims.client_id;
    addLogFields(request, { adminClientId: claims.client_id });
  };
}
