import type { FastifyInstance } from 'fastify';
import { isOAuthError, SlowDown, UnsupportedGrantType, type OAuthError } from '@lanyard/errors';
import type { AppContext } from '../../context.js';
import type { AuthFailureReason } from '../../domain/audit/audit-log.js';
import { loadTenant } from '../load-tenant.js';
import { readForm } from '../read-form.js';
import { authenticateClient } from './authenticate-client.js';
import { readBasicCredentials } from './read-basic-credentials.js';
import { grantClientCredentials } from './grant-client-credentials.js';
import type { TokenContext, TokenResponse } from './token-context.js';

type GrantHandler = (ctx: TokenContext) => Promise<TokenResponse>;

/** Grant types served here and their handlers; anything else is `unsupported_grant_type`. */
export type GrantTable = Readonly<Record<string, GrantHandler>>;

const BASE_GRANTS: GrantTable = { client_credentials: grantClientCredentials };

/**
 * The token endpoint (RFC 6749 §3.2), as a pipeline:
 * read form → rate limit (per tenant + presented client id) → authenticate client → dispatch by
 * grant type (the client must be registered for it) → answer with `no-store`.
 * Latency lands in `identity_token_duration_seconds`, the outcome in the audit trail.
 */
export function registerTokenEndpoint(app: FastifyInstance, ctx: AppContext, extraGrants: GrantTable = {}): void {
  const grants: GrantTable = { ...BASE_GRANTS, ...extraGrants };
  app.post('/tenants/:tenant/oauth2/token', { config: { errorFormat: 'oauth' }, schema: { hide: true } }, async (request, reply) => {
    const started = process.hrtime.bigint();
    const tenant = await loadTenant(ctx, request);
    const params = readForm(request);
    const grantType = params.get('grant_type');
    const grantLabel = grantType !== undefined && grantType in grants ? grantType : 'unsupported';
    const event = grantType === 'refresh_token' ? 'refresh' : 'token';
    let clientId: string | undefined = params.get('client_id');
    try {
      const presented = clientId ?? readBasicCredentials(request.headers.authorization)?.id ?? 'anonymous';
      const decision = await ctx.limiter.hit('token', `${tenant.name}:${presented}`, ctx.config.RATE_LIMIT_TOKEN_PER_MINUTE, 60_000);
      if (!decision.allowed) {
        ctx.metrics.rateLimited.inc({ tenant: tenant.name, limiter: 'token' });
        throw new SlowDown('Too many token requests; retry later.', { headers: { 'retry-after': String(decision.retryAfterSeconds) } });
      }
      const { client, method } = await authenticateClient(request, params, tenant, ctx.clients, ctx.secretHasher);
      clientId = client.clientId;
      if (grantType === undefined) throw new UnsupportedGrantType('Missing grant_type.');
      const handler = grants[grantType];
      if (handler === undefined) throw new UnsupportedGrantType(`Unsupported grant_type: ${grantType}.`);
      const issuer = ctx.tenants.issuer(tenant.name);
      const response = await handler({ request, reply, tenant, issuer, client, authMethod: method, params, services: ctx, config: ctx.config });
      ctx.audit.record({ tenant: tenant.name, event, result: 'success', clientId, userId: response.userId ?? null, ip: request.ip, requestId: request.id });
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response.body);
    } catch (error) {
      ctx.audit.record({
        tenant: tenant.name,
        event,
        result: 'failure',
        reason: failureReason(error),
        clientId: clientId ?? null,
        ip: request.ip,
        requestId: request.id,
      });
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      ctx.metrics.tokenDuration.observe({ tenant: tenant.name, grant_type: grantLabel }, seconds);
    }
  });
}

const REASONS = new Set<string>(['invalid_client', 'invalid_grant', 'invalid_request', 'invalid_scope', 'unauthorized_client', 'unsupported_grant_type']);

function failureReason(error: unknown): AuthFailureReason {
  const specific = (error as { auditReason?: AuthFailureReason }).auditReason;
  if (specific !== undefined) return specific;
  if (isOAuthError(error)) {
    if ((error as OAuthError).code === 'slow_down') return 'rate_limited';
    if ((error as OAuthError).code === 'invalid_target') return 'invalid_request';
    if (REASONS.has(error.code)) return error.code as AuthFailureReason;
    if (error.status < 500) return 'invalid_request';
  }
  return 'server_error';
}
