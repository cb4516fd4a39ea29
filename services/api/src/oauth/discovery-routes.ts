import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KeyRings } from '../domain/keys/signing-key-service.js';
import type { TenantLookup } from '../domain/tenants/tenant-service.js';
import { ACR_VALUES_SUPPORTED } from '../domain/tokens/authentication-context.js';
import { USER_CLAIM_NAMES } from '../domain/tokens/user-claims.js';
import { loadTenant } from './load-tenant.js';

export interface DiscoveryDeps {
  readonly tenants: TenantLookup;
  readonly keys: Pick<KeyRings, 'ring'>;
}

/**
 * Per-tenant discovery (OIDC Discovery 1.0 §4, RFC 8414 §3) and JWKS (RFC 7517). Both are public and
 * cacheable: discovery for an hour, the JWKS for five minutes — shorter than the publish-ahead of a
 * new signing key, so relying parties always know a key before it signs.
 */
export function registerDiscoveryRoutes(app: FastifyInstance, deps: DiscoveryDeps): void {
  const serveMetadata = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const issuer = deps.tenants.issuer(tenant.name);
    const metadata = {
      issuer,
      authorization_endpoint: `${issuer}/oauth2/authorize`,
      token_endpoint: `${issuer}/oauth2/token`,
      userinfo_endpoint: `${issuer}/oauth2/userinfo`,
      revocation_endpoint: `${issuer}/oauth2/revoke`,
      introspection_endpoint: `${issuer}/oauth2/introspect`,
      end_session_endpoint: `${issuer}/oauth2/logout`,
      jwks_uri: `${issuer}/jwks`,
      scopes_supported: ['openid', 'profile', 'email', 'address', 'phone', 'offline_access'],
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      code_challenge_methods_supported: ['S256'],
      // Each client uses the one it registered (tokenEndpointAuthMethod); these are the choices.
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      subject_types_supported: ['public'],
      // Per client (idTokenSignedResponseAlg); RS256 is the one every relying party can verify (OIDC Core §15.1).
      id_token_signing_alg_values_supported: ['ES256', 'RS256'],
      acr_values_supported: [...ACR_VALUES_SUPPORTED],
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'at_hash', 'sid', 'acr', 'amr', ...USER_CLAIM_NAMES],
      claim_types_supported: ['normal'],
      prompt_values_supported: ['none', 'login', 'consent'],
      // RFC 9207: every authorization response carries `iss`.
      authorization_response_iss_parameter_supported: true,
      request_parameter_supported: false,
      request_uri_parameter_supported: false,
      claims_parameter_supported: true,
      frontchannel_logout_supported: false,
      backchannel_logout_supported: false,
    };
    return reply.header('cache-control', 'public, max-age=3600').header('access-control-allow-origin', '*').send(metadata);
  };
  app.get('/tenants/:tenant/.well-known/openid-configuration', { schema: { hide: true } }, serveMetadata);
  // RFC 8414 §3.1: for an issuer with a path, the well-known segment goes before the path.
  app.get('/.well-known/oauth-authorization-server/tenants/:tenant', { schema: { hide: true } }, serveMetadata);

  app.get('/tenants/:tenant/jwks', { schema: { hide: true } }, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const ring = await deps.keys.ring(tenant.id);
    return reply
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .type('application/jwk-set+json')
      .send(ring.jwks);
  });
}
