import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.js';
import { loadTenant } from './load-tenant.js';

/** Optional parts of the metadata, filled in by the features that are registered. */
export type MetadataContributor = (issuer: string) => Record<string, unknown>;

/**
 * Per-tenant discovery (OIDC Discovery 1.0 §4, RFC 8414 §3) and JWKS (RFC 7517). Both are public and
 * cacheable: discovery for an hour, the JWKS for five minutes — shorter than the publish-ahead of a
 * new signing key, so relying parties always know a key before it signs.
 */
export function registerDiscoveryRoutes(app: FastifyInstance, ctx: AppContext, contributors: readonly MetadataContributor[]): void {
  const serveMetadata = async (request: FastifyRequest, reply: FastifyReply) => {
    const tenant = await loadTenant(ctx, request);
    const issuer = ctx.tenants.issuer(tenant.name);
    const metadata: Record<string, unknown> = {
      issuer,
      jwks_uri: `${issuer}/jwks`,
      token_endpoint: `${issuer}/oauth2/token`,
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
      grant_types_supported: ['client_credentials'],
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['ES256'],
    };
    for (const contribute of contributors) {
      for (const [key, value] of Object.entries(contribute(issuer))) {
        metadata[key] = Array.isArray(value) && Array.isArray(metadata[key]) ? [...new Set([...(metadata[key] as unknown[]), ...value])] : value;
      }
    }
    return reply.header('cache-control', 'public, max-age=3600').header('access-control-allow-origin', '*').send(metadata);
  };
  app.get('/tenants/:tenant/.well-known/openid-configuration', { schema: { hide: true } }, serveMetadata);
  // RFC 8414 §3.1: for an issuer with a path, the well-known segment goes before the path.
  app.get('/.well-known/oauth-authorization-server/tenants/:tenant', { schema: { hide: true } }, serveMetadata);

  app.get('/tenants/:tenant/jwks', { schema: { hide: true } }, async (request, reply) => {
    const tenant = await loadTenant(ctx, request);
    const ring = await ctx.keys.ring(tenant.id);
    return reply
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .type('application/jwk-set+json')
      .send(ring.jwks);
  });
}
