import type { FastifyInstance } from 'fastify';
import { AccessDenied, InvalidRequest } from '@lanyard/errors';
import type { AuditRecorder } from '../../domain/audit/audit-log.js';
import type { ConsentService } from '../../domain/consents/consent-service.js';
import type { TenantLookup } from '../../domain/tenants/tenant-service.js';
import type { UserService } from '../../domain/users/user-service.js';
import { renderConsentPage } from '../../pages/consent-page.js';
import { applyPageHeaders, formActionSources } from '../../pages/page-headers.js';
import { authorizationResponseUrl } from '../authorize/authorization-response.js';
import { continueAuthorization, followNextStep, type ContinueAuthorizationDeps } from '../authorize/continue-authorization.js';
import { loadTenant } from '../load-tenant.js';
import { OAuthParams } from '../read-form.js';
import type { InteractionStore } from './interaction-store.js';
import { loadInteraction, type LoadInteractionDeps } from './load-interaction.js';
import type { PendingSignIns } from './pending-sign-in.js';

export interface ConsentRoutesDeps extends ContinueAuthorizationDeps, LoadInteractionDeps {
  readonly tenants: TenantLookup;
  readonly users: Pick<UserService, 'get'>;
  readonly consents: Pick<ConsentService, 'covers' | 'grant'>;
  readonly interactions: Pick<InteractionStore, 'find' | 'save' | 'delete'>;
  readonly pendingSignIns: Pick<PendingSignIns, 'start'>;
  readonly audit: AuditRecorder;
}

/**
 * The consent screen (OIDC Core §3.1.2.4). Approval is remembered per user and client (and can be
 * revoked through the admin API); denial returns `access_denied` to the client (RFC 6749 §4.1.2.1).
 */
export function registerConsentRoutes(app: FastifyInstance, deps: ConsentRoutesDeps): void {
  const options = { config: { errorFormat: 'html' as const }, schema: { hide: true } };

  app.get('/tenants/:tenant/consent', options, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const { interaction, client } = await loadInteraction(deps, request, tenant, (request.query as Record<string, string>).interaction);
    if (interaction.userId === undefined) throw new InvalidRequest('Sign in first.');
    const user = await deps.users.get(tenant, interaction.userId);
    // The form's POST ends in a 303 to the client, and Chromium checks form-action on that redirect.
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri));
    return reply.type('text/html; charset=utf-8').send(
      renderConsentPage({
        tenant: tenant.name,
        tenantDisplayName: tenant.displayName,
        clientName: client.displayName ?? client.clientId,
        userEmail: user.email,
        scopes: interaction.request.scopes,
        interactionId: interaction.id,
        csrfToken: interaction.csrfToken,
      }),
    );
  });

  app.post('/tenants/:tenant/consent', options, async (request, reply) => {
    const tenant = await loadTenant(deps.tenants, request);
    const issuer = deps.tenants.issuer(tenant.name);
    const form = OAuthParams.from(request.body as Record<string, unknown>);
    const { interaction, client } = await loadInteraction(deps, request, tenant, form.get('interaction'), form.get('csrf_token') ?? '');
    if (interaction.userId === undefined || interaction.sessionId === undefined || interaction.authTime === undefined) {
      throw new InvalidRequest('Sign in first.');
    }
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri));
    const { request: authorization } = interaction;
    const decision = form.get('decision');
    if (decision !== 'approve') {
      await deps.interactions.delete(interaction.id);
      deps.audit.record({ tenant: tenant.name, event: 'login', result: 'failure', reason: 'access_denied', clientId: client.clientId, userId: interaction.userId, ip: request.ip, requestId: request.id });
      const denied = new AccessDenied('The user denied the request.');
      return reply.redirect(authorizationResponseUrl(authorization.redirectUri, issuer, authorization.state, { error: denied.code, error_description: denied.message }), 303);
    }
    await deps.consents.grant(interaction.userId, client.id, authorization.scopes);
    const consented = { ...interaction, consented: true };
    const auth = { userId: interaction.userId, sessionId: interaction.sessionId, authTime: new Date(interaction.authTime), amr: interaction.amr ?? [] };
    const next = await continueAuthorization(deps, client, authorization, issuer, auth, consented);
    if (next.kind === 'redirect') await deps.interactions.delete(interaction.id);
    else await deps.interactions.save(consented);
    return followNextStep(reply, next, issuer, async () => consented, (pending) => deps.pendingSignIns.start(reply, tenant.name, { tenantId: tenant.id, ...pending }));
  });
}
