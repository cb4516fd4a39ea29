import type { FastifyRequest } from 'fastify';
import type { Tenant } from '@lanyard/db';
import { AccessDenied, InvalidRequest } from '@lanyard/errors';
import { constantTimeEqual } from '@lanyard/security';
import type { ClientLookup, RegisteredClient } from '../../domain/clients/client-service.js';
import { isSameBrowser } from './browser-binding.js';
import type { Interaction, InteractionStore } from './interaction-store.js';

export interface LoadInteractionDeps {
  readonly interactions: Pick<InteractionStore, 'find'>;
  readonly clients: ClientLookup;
}

/**
 * Loads the interaction behind a hosted page. Rules:
 * - it exists, has not expired, and belongs to this tenant;
 * - the browser holds the cookie the interaction is bound to;
 * - for form posts, the CSRF token matches (compared in constant time);
 * - the client still exists and is enabled (it may have changed meanwhile).
 */
export async function loadInteraction(
  deps: LoadInteractionDeps,
  request: FastifyRequest,
  tenant: Tenant,
  id: string | undefined,
  csrfToken?: string,
): Promise<{ interaction: Interaction; client: RegisteredClient }> {
  const interaction = await deps.interactions.find(id);
  if (interaction === undefined || interaction.request.tenantId !== tenant.id) {
    throw new InvalidRequest('This sign-in request has expired or is unknown. Return to the application and start again.');
  }
  if (!isSameBrowser(request, interaction.browserBindingHash)) {
    throw new AccessDenied('This sign-in request was started in another browser.', { detail: 'browser binding mismatch' });
  }
  if (csrfToken !== undefined || request.method === 'POST') {
    if (csrfToken === undefined || !constantTimeEqual(csrfToken, interaction.csrfToken)) {
      throw new AccessDenied('The form has expired. Go back and try again.', { detail: 'csrf token mismatch' });
    }
  }
  const client = await deps.clients.find(tenant.id, interaction.request.clientId);
  if (client === undefined) throw new InvalidRequest('The application is no longer registered.');
  if (client.disabled) throw new InvalidRequest('This application is disabled.', { detail: 'client disabled' });
  return { interaction, client };
}
