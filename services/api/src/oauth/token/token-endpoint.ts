import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable } from '@lanyard/db';
import type { Tenant } from '@lanyard/db';
import { InvalidClient, SlowDown, UnauthorizedClient, UnsupportedGrantType } from '@lanyard/errors';
import type { ApiMetrics } from '@lanyard/metrics';
import type { AuditRecorder } from '../../domain/audit/audit-log.js';
import { ipNetwork } from '../../domain/rate-limit/ip-network.js';
import type { LimitDecision } from '../../domain/rate-limit/limit-policy.js';
import { rateLimitPolicies, type RateLimitConfig } from '../../domain/rate-limit/rate-limit-policies.js';
import type { RateLimiter } from '../../domain/rate-limit/sliding-window-limiter.js';
import type { TenantLookup } from '../../domain/tenants/tenant-service.js';
import { rateLimitHeaders } from '../../http/rate-limit-headers.js';
import { loadTenant } from '../load-tenant.js';
import { readForm, type OAuthParams } from '../read-form.js';
import { authenticateClient, type ClientAuthenticationDeps } from './authenticate-client.js';
import { lookupGrant, type GrantDeps } from './grant-table.js';
import { readBasicCredentials } from './read-basic-credentials.js';
import { tokenFailureReason } from './token-failure-reason.js';

export interface TokenEndpointDeps extends GrantDeps, ClientAuthenticationDeps {
  readonly tenants: TenantLookup;
  readonly limiter: RateLimiter;
  readonly audit: AuditRecorder;
  readonly metrics: Pick<ApiMetrics, 'tokenDuration' | 'rateLimited'>;
  readonly config: GrantDeps['config'] & RateLimitConfig;
}

/**
 * The token endpoint (RFC 6749 §3.2), as a pipeline:
 * read form → authenticate the client (a failure is counted per tenant + client + IP network and
 * per network; past either limit the answer is 429) → one limiter round trip: the network's failure
 * record (looked at, not charged) and the client's own budget (charged only now, after it
 * authenticated, so nobody else can spend it) → look up the grant in {@link GRANT_TABLE}
 * (`unsupported_grant_type`) → the client may use it: its type allows it and it registered it
 * (`unauthorized_client`, checked once for every grant) → the grant → answer with `no-store`.
 * Latency lands in `identity_token_duration_seconds`, the outcome in the audit trail.
 */
export function registerTokenEndpoint(app: FastifyInstance, deps: TokenEndpointDeps): void {
  app.post('/tenants/:tenant/oauth2/token', { config: { errorFormat: 'oauth' }, schema: { hide: true } }, async (request, reply) => {
    const started = process.hrtime.bigint();
    const tenant = await loadTenant(deps.tenants, request).catch((error: unknown) => {
      if (isDatabaseUnavailable(error)) recordUnavailable(request, deps.audit);
      throw error;
    });
    const params = readForm(request);
    const grantType = params.get('grant_type');
    const grant = lookupGrant(grantType);
    const grantLabel = grant === undefined ? 'unsupported' : grantType!;
    const event = grant?.auditEvent ?? 'token';
    const network = ipNetwork(request.ip);
    const policies = rateLimitPolicies(deps.config, tenant);
    let clientId: string | undefined = params.get('client_id');

    /** Refuses with 429 and the RateLimit fields when any decision refused. */
    const enforce = (decisions: readonly LimitDecision[]) => {
      const refused = decisions.filter((d) => !d.allowed);
      if (refused.length === 0) return;
      for (const d of refused) deps.metrics.rateLimited.inc({ tenant: tenant.name, limiter: d.policy.name });
      throw new SlowDown('Too many token requests; retry later.', { headers: rateLimitHeaders(refused), detail: refused.map((d) => d.policy.name).join(',') });
    };

    try {
      const authenticated = await authenticateClient(request, params, tenant, deps).catch(async (error: unknown) => {
        // Read again only on failure, so a success decodes the Basic header once (a malformed one
        // throws the same invalid_client here as in authenticateClient, uncounted as before).
        if (error instanceof InvalidClient) {
          const presented = clientId ?? readBasicCredentials(request.headers.authorization)?.id ?? '';
          enforce(await deps.limiter.decide(failureCharges(tenant, presented, network, policies, 1)));
        }
        throw error;
      });
      const { client, method } = authenticated;
      clientId = client.clientId;
      // A public client cannot authenticate, so its budget is per network: strangers cannot spend a whole SPA's.
      const budgetSubject = client.type === 'public' ? `${tenant.id}:${client.clientId}:${network}` : `${tenant.id}:${client.clientId}`;
      enforce(await deps.limiter.decide([...failureCharges(tenant, client.clientId, network, policies, 0), { policy: policies.token, subject: budgetSubject, cost: 1 }]));
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

/**
 * A token request whose tenant could not be read because PostgreSQL is away is still an attempt,
 * and kept in the trail (docs/reliability.md). The name is the path's (a DNS label, checked before
 * any lookup); while the database is away an unknown name cannot be told apart, so it is kept too.
 */
function recordUnavailable(request: FastifyRequest, audit: AuditRecorder): void {
  let params: OAuthParams | undefined;
  try {
    params = readForm(request);
  } catch {
    params = undefined;
  }
  audit.record({
    tenant: (request.params as { tenant: string }).tenant,
    event: lookupGrant(params?.get('grant_type'))?.auditEvent ?? 'token',
    result: 'failure',
    reason: 'server_error',
    clientId: params?.get('client_id') ?? readBasicCredentials(request.headers.authorization)?.id ?? null,
    ip: request.ip,
    requestId: request.id,
  });
}

/** The two failure records of a client authentication: per (tenant, client, network) and per network. */
function failureCharges(tenant: Tenant, clientId: string, network: string, policies: ReturnType<typeof rateLimitPolicies>, cost: 0 | 1) {
  return [
    { policy: policies.clientAuthFailures, subject: `${tenant.id}:${clientId}:${network}`, cost },
    { policy: policies.networkAuthFailures, subject: network, cost },
  ];
}
