import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant, User } from '@lanyard/db';
import type { AuditRecorder } from '../../domain/audit/audit-log.js';
import type { RegisteredClient } from '../../domain/clients/client-service.js';
import type { TenantLookup } from '../../domain/tenants/tenant-service.js';
import { continueAuthorization, followNextStep, type ContinueAuthorizationDeps } from '../authorize/continue-authorization.js';
import type { Interaction, InteractionStore } from './interaction-store.js';
import { renderContinuePage } from '../../pages/account-pages.js';
import { applyPageHeaders, formActionSources } from '../../pages/page-headers.js';
import { pageTenant } from '../../accounts/page-kit.js';
import type { PendingSignIns } from './pending-sign-in.js';
import { startBrowserSession, type StartSessionDeps } from './start-browser-session.js';

export interface CompleteSignInDeps extends ContinueAuthorizationDeps, StartSessionDeps {
  readonly tenants: TenantLookup;
  readonly interactions: Pick<InteractionStore, 'save' | 'delete'>;
  readonly pendingSignIns: Pick<PendingSignIns, 'start'>;
  readonly audit: AuditRecorder;
}

/**
 * The end of every sign-in of an app's authorization request, whatever its factors were: a new
 * SSO session ({@link startBrowserSession}), the `login` audit event, and the authorization
 * request continued (consent, or the code back to the client).
 */
export async function completeInteractionSignIn(
  deps: CompleteSignInDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  target: { readonly tenant: Tenant; readonly interaction: Interaction; readonly client: RegisteredClient },
  user: User,
  amr: readonly string[],
  options: { readonly mfaDeferred?: boolean; readonly redirectByPage?: boolean; readonly secondFactorCleared?: boolean; readonly authTime?: Date } = {},
): Promise<FastifyReply> {
  const { tenant, interaction, client } = target;
  const issuer = deps.tenants.issuer(tenant.name);
  const session = await startBrowserSession(deps, request, reply, tenant, user, amr, options.authTime);
  deps.audit.record({ tenant: tenant.name, event: 'login', result: 'success', clientId: client.clientId, userId: user.id, ip: request.ip, requestId: request.id });
  request.log.info({ ...request.logFields, event: 'login', userId: user.id, amr }, 'user signed in');

  const signedIn: Interaction = {
    ...interaction,
    userId: user.id,
    sessionId: session.id,
    authTime: session.authTime.getTime(),
    amr: session.amr,
    loginError: undefined,
    loginNotice: undefined,
    ...(options.mfaDeferred === true ? { mfaDeferred: true } : {}),
  };
  const auth = { userId: user.id, sessionId: session.id, authTime: session.authTime, amr: session.amr, secondFactorCleared: options.secondFactorCleared === true };
  const next = await continueAuthorization(deps, client, interaction.request, issuer, auth, signedIn);
  if (next.kind === 'redirect') await deps.interactions.delete(interaction.id);
  else await deps.interactions.save(signedIn);
  if (next.kind === 'redirect' && options.redirectByPage === true) {
    applyPageHeaders(reply, formActionSources(interaction.request.redirectUri));
    return reply.type('text/html; charset=utf-8').send(renderContinuePage(pageTenant(tenant), next.location));
  }
  return followNextStep(reply, next, issuer, async () => signedIn, (pending) => deps.pendingSignIns.start(reply, tenant.name, { tenantId: tenant.id, ...pending }));
}
