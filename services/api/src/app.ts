import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import cookie from '@fastify/cookie';
import { boundLogger, type Logger } from '@lanyard/logger';
import type { AppContext } from './context.js';
import { frameworkErrors, registerErrorHandler } from './http/error-handler.js';
import { registerJsonBodyParser } from './http/json-body-parser.js';
import { AJV_OPTIONS } from './http/validator-compilers.js';
import { registerRouteIndex } from './http/route-index.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { registerLogFields } from './http/log-fields.js';
import { registerOpenApi } from './http/openapi.js';
import { registerRequestTelemetry } from './http/request-telemetry.js';
import { registerAdminRoutes } from './admin/admin-routes.js';
import { registerAuthorizeEndpoint } from './oauth/authorize/authorize-endpoint.js';
import { registerCors } from './oauth/cors.js';
import { registerDiscoveryRoutes } from './oauth/discovery-routes.js';
import { registerConsentRoutes } from './oauth/interaction/consent-routes.js';
import { registerLoginRoutes } from './oauth/interaction/login-routes.js';
import { registerIntrospectEndpoint } from './oauth/introspect-endpoint.js';
import { registerLogoutEndpoint } from './oauth/logout-endpoint.js';
import { registerRevokeEndpoint } from './oauth/revoke-endpoint.js';
import { registerTokenEndpoint } from './oauth/token/token-endpoint.js';
import { registerUserinfoEndpoint } from './oauth/userinfo-endpoint.js';
import { registerAccountLoginRoutes } from './accounts/account-login-routes.js';
import { registerSecondFactorRoutes } from './accounts/second-factor-routes.js';
import { registerFactorEnrolmentRoutes } from './accounts/factor-enrolment-routes.js';
import { registerAccountFactorRoutes } from './accounts/account-factor-routes.js';
import { registerAccountPasskeyRoutes } from './accounts/account-passkey-routes.js';
import { registerFederationRoutes } from './accounts/federation-routes.js';
import { registerAccountRoutes } from './accounts/account-routes.js';
import { registerEmailChangeRoutes } from './accounts/email-change-routes.js';
import { registerEmailVerificationRoutes } from './accounts/email-verification-routes.js';
import { registerInvitationRoutes } from './accounts/invitation-routes.js';
import { registerPasswordResetRoutes } from './accounts/password-reset-routes.js';
import { registerSignupRoutes } from './accounts/signup-routes.js';
import { registerAssetRoutes } from './routes/asset-routes.js';
import { registerExampleRoutes } from './routes/example-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * The API as a Fastify instance that never listens (fastify/demo's app/server split): `server.ts`
 * listens, tests call `inject` or listen on an ephemeral port. Each route group receives the context
 * but is typed on the few services it uses.
 */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: ctx.log as FastifyBaseLogger,
    // One line per request comes from request-telemetry instead of Fastify's two.
    logController: new LogController({ disableRequestLogging: true }),
    // Request lines carry `reqId` without a pino child per request (bound-logger.ts says why); a
    // route with its own level or serializers still gets a real child.
    childLoggerFactory: (logger, bindings, options) =>
      options.level === undefined && options.serializers === undefined ? (boundLogger(logger as Logger, bindings) as FastifyBaseLogger) : logger.child(bindings, options),
    // Keep a caller's correlation id when it is sane; otherwise mint one.
    genReqId: (req) => {
      const header = req.headers['x-request-id'];
      return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    },
    // Trust X-Forwarded-* from exactly the configured number of proxy hops, never more.
    trustProxy: (_address: string, hop: number) => hop < ctx.config.TRUST_PROXY_HOPS,
    bodyLimit: 64 * 1024,
    // Client ids are up to 128 characters (ClientIdString); longer parameters reach the schema (400).
    routerOptions: { maxParamLength: 1024 },
    // Router errors (bad percent-encoding, a parameter over that) as problem details too.
    frameworkErrors,
    return503OnClosing: true,
    ajv: { customOptions: AJV_OPTIONS },
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    // Draining for shutdown (SHUTDOWN_DRAIN_SECONDS): each kept-alive connection closes after its
    // next answer, so clients move to another replica between requests instead of having an idle
    // connection cut under a request they are just sending (RFC 9112 §9.6).
    if (ctx.lifecycle.shuttingDown) reply.header('connection', 'close');
    done(null, payload);
  });

  registerLogFields(app);
  registerSecurityHeaders(app);
  registerErrorHandler(app, registerRouteIndex(app));
  registerJsonBodyParser(app);
  registerRequestTelemetry(app, ctx.metrics);
  await app.register(formbody);
  await app.register(cookie);
  await registerOpenApi(app, ctx.config.PUBLIC_URL);

  registerHealthRoutes(app, ctx);
  registerAssetRoutes(app);
  registerExampleRoutes(app, ctx);
  await registerAdminRoutes(app, ctx);
  registerCors(app, ctx);
  registerDiscoveryRoutes(app, ctx);
  registerAuthorizeEndpoint(app, ctx);
  registerLoginRoutes(app, ctx);
  registerConsentRoutes(app, ctx);
  registerTokenEndpoint(app, ctx);
  registerRevokeEndpoint(app, ctx);
  registerIntrospectEndpoint(app, ctx);
  registerUserinfoEndpoint(app, ctx);
  registerLogoutEndpoint(app, ctx);
  registerSignupRoutes(app, ctx);
  registerEmailVerificationRoutes(app, ctx);
  registerPasswordResetRoutes(app, ctx);
  registerInvitationRoutes(app, ctx);
  registerEmailChangeRoutes(app, ctx);
  registerAccountLoginRoutes(app, ctx);
  registerAccountRoutes(app, ctx);
  registerSecondFactorRoutes(app, ctx);
  registerFactorEnrolmentRoutes(app, ctx);
  registerAccountFactorRoutes(app, ctx);
  registerAccountPasskeyRoutes(app, ctx);
  registerFederationRoutes(app, ctx);
  return app;
}
