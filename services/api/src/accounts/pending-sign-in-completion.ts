import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Tenant, User } from '@lanyard/db';
import { AccessDenied, InvalidRequest } from '@lanyard/errors';
import { constantTimeEqual } from '@lanyard/security';
import type { ClientLookup } from '../domain/clients/client-service.js';
import type { UserService } from '../domain/users/user-service.js';
import { completeInteractionSignIn, type CompleteSignInDeps } from '../oauth/interaction/complete-sign-in.js';
import type { InteractionStore } from '../oauth/interaction/interaction-store.js';
import type { PendingSignIn, PendingSignIns } from '../oauth/interaction/pending-sign-in.js';
import { startBrowserSession } from '../oauth/interaction/start-browser-session.js';
import { seeOther } from './page-kit.js';

export interface PendingCompletionDeps extends CompleteSignInDeps {
  readonly pendingSignIns: Pick<PendingSignIns, 'start' | 'find' | 'update' | 'finish'>;
  readonly interactions: Pick<InteractionStore, 'find' | 'save' | 'delete'>;
  readonly clients: ClientLookup;
  readonly users: Pick<UserService, 'findById'>;
}

export const PENDING_EXPIRED = 'This sign-in has expired. Go back to the application, or to your account page, and sign in again.';

/**
 * This browser's pending sign-in and its user; a missing or expired one, or a user deleted or
 * disabled meanwhile, ends here with an error page. A form post must carry the record's CSRF token.
 */
export async function loadPendingSignIn(deps: PendingCompletionDeps, request: FastifyRequest, tenant: Tenant, csrfToken?: string): Promise<{ pending: PendingSignIn; user: User }> {
  const pending = await deps.pendingSignIns.find(request, tenant.id);
  if (pending === undefined) throw new InvalidRequest(PENDING_EXPIRED, { detail: 'no pending sign-in' });
  if (request.method === 'POST' && (csrfToken === undefined || !constantTimeEqual(csrfToken, pending.csrfToken))) throw new AccessDenied('The form has expired. Go back and try again.', { detail: 'csrf token mismatch' });
  const user = await deps.users.findById(tenant.id, pending.userId);
  if (user === undefined || user.disabled) throw new AccessDenied('This account can no longer sign in.', { detail: 'user deleted or disabled during sign-in' });
  return { pending, user };
}

/**
 * Ends a pending sign-in once its second factor is done (or, under a grace period, deferred):
 * single use, so of two parallel completions only one goes on. Then the app's authorization
 * request continues, or the browser goes to the account page.
 */
export async function completePendingSignIn(
  deps: PendingCompletionDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  tenant: Tenant,
  pending: PendingSignIn,
  user: User,
  amr: readonly string[],
  options: { readonly mfaDeferred?: boolean } = {},
): Promise<FastifyReply> {
  if (!(await deps.pendingSignIns.finish(request, reply, tenant.name))) throw new InvalidRequest(PENDING_EXPIRED, { detail: 'pending sign-in already completed' });
  if (pending.interactionId === undefined) {
    await startBrowserSession(deps, request, reply, tenant, user, amr);
    deps.audit.record({ tenant: tenant.name, event: 'login', result: 'success', clientId: null, userId: user.id, ip: request.ip, requestId: request.id });
    request.log.info({ ...request.logFields, event: 'login', userId: user.id, amr }, 'user signed in to the account page');
    return seeOther(reply, `${deps.tenants.issuer(tenant.name)}/account`);
  }
  const interaction = await deps.interactions.find(pending.interactionId);
  if (interaction === undefined || interaction.request.tenantId !== tenant.id) throw new InvalidRequest(PENDING_EXPIRED, { detail: 'interaction expired during the second factor' });
  const client = await deps.clients.find(tenant.id, interaction.request.clientId);
  if (client === undefined || client.disabled) throw new InvalidRequest('This application is no longer available.', { detail: 'client gone or disabled during sign-in' });
  return completeInteractionSignIn(deps, request, reply, { tenant, interaction, client }, user, amr, options);
}
