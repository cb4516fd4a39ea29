import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Problem } from '@lanyard/contracts';

/**
 * OpenAPI 3 generated from the route schemas, and Swagger UI at `/docs`. Only the admin API and the
 * operational endpoints are documented here; the OAuth endpoints are described by each tenant's
 * discovery document (RFC 8414 / OIDC Discovery).
 */
export async function registerOpenApi(app: FastifyInstance, publicUrl: string): Promise<void> {
  app.addSchema(Problem);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Lanyard admin API',
        version: '1.0.0',
        description:
          'Declarative management of tenants, OAuth clients and users. Authenticate with a bearer access token from the `system` tenant (client_credentials, scope `lanyard:admin`). Errors are `application/problem+json` (RFC 9457).',
      },
      servers: [{ url: publicUrl }],
      components: {
        securitySchemes: {
          adminToken: {
            type: 'oauth2',
            flows: { clientCredentials: { tokenUrl: `${publicUrl}/tenants/system/oauth2/token`, scopes: { 'lanyard:admin': 'Manage tenants, clients and users' } } },
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list', deepLinking: true } });
}
