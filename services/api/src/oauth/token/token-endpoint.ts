import type { FastifyInstance } from 'fastify';
import type { ApiConfig } from '@lanyard/config';
import { SlowDown, UnauthorizedClient, UnsupportedGrantType } from '@lanyard/errors';
import type { ApiMetrics } from '@lanyard/metrics';
import type { AuditRecorder } from '../../domain/audit/audit-log.js';
import type { RateLimiter } from '../../domain/rate-limit/sliding-window-limiter.js';
import type { TenantLookup } from '../../domain/tenants/tenant-service.js';
import { loadTenant } from '../load-tenant.js';
import { readForm } from '../read-form.js';
import { authenticateClient, type ClientAuthenticationDeps } from './authenticate-client.js';
import { lookupGrant, type GrantDeps } from './grant-table.js';
import { readBasicCredentials } from './read-basic-credentials.js';
import { tokenFailureReason } from './token-failure-reason.js';

export interface TokenEndpointDeps extends GrantDeps, ClientAuthenticationDeps {
  readonly tenants: TenantLookup;
  readonly limiter: RateLimiter;
  readonly audit: AuditRecorder;
  readonly metrics: Pick<ApiMetrics, 'tokenDuration' | 'rateLimited'>;
  readonly config: GrantDeps['config'] & Pick<ApiConfig, 'RATE_LIMIT_TOKEN_PER_MINUTE'>;
}

/**
 * The token endpoint (RFC 6749 §3.2), as a pipeline:
 * read form → rate limit (per tenant + presented client id) → authenticate client → look up the
 * grant in {@link GRANT_TABLE} (`unsupported_grant_type`) → the client may use it: its type allows
 * it and it registered it (`unauthorized_client`, checked here once for every grant) → the grant →
 * answer with `no-store`. Latency lands in `identity_token_duration_seconds`, the outcome in the
 * audit trail.
 */
export function registerTokenEndpoint(app: FastifyInstance, deps: TokenEndpointDeps): void {
  app.post('/tenants/:tenant/oauth2/token', { config: { errorFormat: 'oauth' }, schema: { hide: true } }, async (request, reply) => {
    const started = process.hrtime.bigint();
    const tenant = await loadTenant(deps.tenants, request);
    const params = readForm(request);
    const grantType = params.get('grant_type');
    const grant = lookupGrant(grantType);
    const grantLabel = grant === undefined ? 'unsupported' : grantType!;
    const event = grant?.auditEvent ?? 'token';
    let clientId: string | undefined = params.get('client_id');
    try {
      const presented = clientId ?? readBasicCredentials(request.headers.authorization)?.id ?? 'anonymous';
      const decision = await deps.limiter.hit('token', `${tenant.name}:${presented}`, deps.config.RATE_LIMIT_TOKEN_PER_MINUTE, 60_000);
      if (!decision.allowed) {
        deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: 'token' });
        throw new SlowDown('Too many token requests; retry later.', { headers: { 'retry-after': String(decision.retryAfterSeconds) } });
      }
      const { client, method } = await authenticateClient(request, params, tenant, deps);
      clientId = client.clientId;
      if (grantType === undefined) throw new UnsupportedGrantType('Missing grant_type.');
      if (grant === undefined) throw new UnsupportedGrantType(`Unsupported grant_type: ${grantType}.`);
      if (!grant.clientTypes.includes(client.type) || !client.grantTypes.includes(grantType)) {
        throw new UnauthorizedClient(`This client may not use the ${grantType} grant.`);
      }
      const response = await grant.handle({ request, reply, tenant, issuer: deps.tenants.issuer(tenant.name), client, authMethod: method, params }, deps);
      deps.audit.record({ tenant: tenant.name, event, result: 'success', clientId, userId: response.userId ?? null, ip: request.ip, requestId: request.id });
      return reply.header('cache-control', 'no-store').header('pragma', 'no-cache').send(response.body);
    } catch (error) {
      deps.audit.record({ tenant: tenant.name, event, result: 'failure', reason: tokenFailureReason(error), clientId: clientId ?? null, ip: request.ip, requestId: request.id });
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      deps.metrics.tokenDuration.observe({ tenant: tenant.name, grant_type: grantLabel }, seconds);
    }
  });
}
