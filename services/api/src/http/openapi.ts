import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Problem } from '@lanyard/contracts';

/**
 * Swagger UI's bundle injects one fixed `<style>` element at start-up; its hash is allowed, nothing
 * else inline. A Swagger UI upgrade that changes it shows up as a refused style in the browser test
 * (test/e2e/swagger-ui.test.ts), not as a silently relaxed policy.
 */
const SWAGGER_UI_INLINE_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='";

const DOCS_CSP =
  `default-src 'none'; script-src 'self'; style-src 'self' ${SWAGGER_UI_INLINE_STYLE}; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; ` +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

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
    transformObject: (document) => ('openapiObject' in document ? liftRequiredHeaders(document.openapiObject) : document.swaggerObject),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    // No call-outs: the badge validator would send our OpenAPI document to a third party.
    uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
    // Swagger UI loads only its own files: same-origin scripts and styles, no framing.
    staticCSP: DOCS_CSP,
    uiHooks: {
      onRequest: async (_request, reply) => {
        reply.header('x-frame-options', 'DENY').header('referrer-policy', 'no-referrer');
      },
    },
  });
}

interface HeaderObject {
  required?: boolean;
  schema?: { required?: unknown };
}

/**
 * Route schemas declare a response header as `{type, description, required: true}` (admin/responses.ts);
 * @fastify/swagger copies all of it into the header's `schema`, where `required` is not JSON Schema.
 * OpenAPI wants it on the header object (3.1 §4.8.21), which is what fuzzers and clients read.
 */
function liftRequiredHeaders<T>(document: T): T {
  const paths = (document as { paths?: Record<string, Record<string, { responses?: Record<string, { headers?: Record<string, HeaderObject> }> }>> }).paths ?? {};
  for (const operations of Object.values(paths)) {
    for (const operation of Object.values(operations)) {
      for (const response of Object.values(operation.responses ?? {})) {
        for (const header of Object.values(response.headers ?? {})) {
          if (header.schema?.required === true) {
            header.required = true;
            delete header.schema.required;
          }
        }
      }
    }
  }
  return document;
}
