import type { FastifyRequest } from 'fastify';
import type { Clock } from '@lanyard/clock';
import type { Tenant } from '@lanyard/db';
import { InvalidClient, InvalidRequest } from '@lanyard/errors';
import type { SecretHasher } from '@lanyard/security';
import type { ClientLookup, RegisteredClient } from '../../domain/clients/client-service.js';
import { addLogFields } from '../../http/log-fields.js';
import type { OAuthParams } from '../read-form.js';
import { readBasicCredentials } from './read-basic-credentials.js';

export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'none';

export interface ClientAuthenticationDeps {
  readonly clients: ClientLookup;
  readonly secretHasher: Pick<SecretHasher, 'hash' | 'matchesAny'>;
  readonly clock: Clock;
}

export interface AuthenticatedClient {
  readonly client: RegisteredClient;
  readonly method: ClientAuthMethod;
}

/**
 * Client authentication at the token, revocation and introspection endpoints. Rules:
 * - at most one method per request (RFC 6749 §2.3);
 * - `client_secret_basic`: credentials are form-urlencoded before base64 (§2.3.1), so decode both;
 *   many clients (curl -u, older libraries) skip the urlencoding, so the raw secret is tried too;
 * - `client_secret_post`: `client_id` + `client_secret` in the body;
 * - `none`: only public clients, and they must not present a secret;
 * - a confidential client must use the method it registered (`tokenEndpointAuthMethod`,
 *   default client_secret_basic): the other one is `invalid_client` even with the right secret;
 * - a disabled client is refused like an unknown one;
 * - confidential clients must authenticate; any failure is `invalid_client` (401), with a Basic
 *   challenge when the client tried Basic (§5.2); unexpired secrets are compared in constant time.
 */
export async function authenticateClient(
  request: FastifyRequest,
  params: OAuthParams,
  tenant: Tenant,
  deps: ClientAuthenticationDeps,
): Promise<AuthenticatedClient> {
  const basic = readBasicCredentials(request.headers.authorization);
  const bodyId = params.get('client_id');
  const bodySecret = params.get('client_secret');
  const challenge = basic === undefined ? {} : { headers: { 'www-authenticate': `Basic realm="${tenant.name}"` } };

  if (basic !== undefined && bodySecret !== undefined) throw new InvalidRequest('Use only one client authentication method.');
  if (basic !== undefined && bodyId !== undefined && bodyId !== basic.id) throw new InvalidRequest('client_id does not match the authenticated client.');

  const clientId = basic?.id ?? bodyId;
  if (clientId === undefined) throw new InvalidClient('Client authentication is required.', challenge);
  const secret = basic?.secret ?? bodySecret;
  const method: ClientAuthMethod = basic !== undefined ? 'client_secret_basic' : bodySecret !== undefined ? 'client_secret_post' : 'none';

  const client = await deps.clients.find(tenant.id, clientId);
  if (client === undefined || client.disabled) {
    if (secret !== undefined) deps.secretHasher.hash(secret); // same work as a real check
    throw new InvalidClient(undefined, { ...challenge, detail: client === undefined ? 'unknown client' : 'client disabled' });
  }
  if (client.type === 'public') {
    if (method !== 'none') throw new InvalidClient('Public clients do not authenticate with a secret.', { ...challenge, detail: 'secret sent by public client' });
    return { client, method };
  }
  if (secret === undefined) throw new InvalidClient('Client authentication is required.', { detail: 'confidential client sent no secret' });
  const now = deps.clock();
  const hashes = client.secrets.filter((s) => s.expiresAt === null || s.expiresAt > now).map((s) => s.secretHash);
  const candidates = basic !== undefined && basic.rawSecret !== secret ? [secret, basic.rawSecret] : [secret];
  if (!candidates.some((candidate) => deps.secretHasher.matchesAny(candidate, hashes))) throw new InvalidClient(undefined, { ...challenge, detail: 'secret mismatch' });
  // The registered method is the only one accepted, even with the right secret (RFC 7591 §2).
  if (method !== client.tokenEndpointAuthMethod) {
    throw new InvalidClient(`This client authenticates with ${client.tokenEndpointAuthMethod}.`, { ...challenge, detail: `${method} instead of ${client.tokenEndpointAuthMethod}` });
  }
  addLogFields(request, { clientId: client.clientId });
  return { client, method };
}
