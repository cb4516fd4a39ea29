import { InvalidRequest } from '@lanyard/errors';
import { addLogFields } from '../../http/log-fields.js';
import type { AuthorizeStep } from './authorize-context.js';

/**
 * Rules:
 * - `client_id` is required (RFC 6749 §4.1.1);
 * - the client must exist at this tenant and not be disabled.
 * Failures are shown on our error page, never redirected: without a known client there is no
 * trustworthy redirect URI (RFC 6749 §4.1.2.1).
 */
export const checkClient: AuthorizeStep = async (ctx) => {
  const clientId = ctx.params.get('client_id');
  if (clientId === undefined) throw new InvalidRequest('Missing required parameter: client_id.');
  const client = await ctx.clients.find(ctx.tenant.id, clientId);
  if (client === undefined) throw new InvalidRequest('Unknown client.', { detail: `unknown client ${clientId.slice(0, 100)}` });
  if (client.disabled) throw new InvalidRequest('This application is disabled.', { detail: 'client disabled' });
  ctx.client = client;
  ctx.result.clientId = client.clientId;
  ctx.result.clientRef = client.id;
  addLogFields(ctx.request, { clientId: client.clientId });
};
