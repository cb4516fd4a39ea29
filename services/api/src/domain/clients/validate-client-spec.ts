import type { ClientSpec } from '@lanyard/contracts';
import { ValidationProblem, type InvalidParam } from '@lanyard/errors';
import { originProblem, redirectUriProblem } from './redirect-uri-rules.js';

/**
 * Cross-field rules the JSON schema cannot express:
 * - `client_credentials` needs a confidential client (RFC 6749 §4.4: the client must authenticate);
 * - `authorization_code` needs at least one redirect URI;
 * - `refresh_token` only accompanies `authorization_code` (§4.4.3: no refresh tokens for client credentials);
 * - a public client authenticates with `none` and always requires PKCE; a confidential client
 *   authenticates with a secret (RFC 7591 §2) and may make PKCE optional (RFC 9700 §2.1.1);
 * - every URI and origin passes {@link redirectUriProblem} / {@link originProblem}.
 */
export function validateClientSpec(spec: ClientSpec): void {
  const problems: InvalidParam[] = [];
  const grants = new Set(spec.grantTypes);
  if (spec.type === 'public' && grants.has('client_credentials')) {
    problems.push({ name: '/grantTypes', reason: 'client_credentials requires a confidential client' });
  }
  if (spec.type === 'public' && spec.tokenEndpointAuthMethod !== undefined && spec.tokenEndpointAuthMethod !== 'none') {
    problems.push({ name: '/tokenEndpointAuthMethod', reason: 'a public client cannot authenticate: use none' });
  }
  if (spec.type === 'confidential' && spec.tokenEndpointAuthMethod === 'none') {
    problems.push({ name: '/tokenEndpointAuthMethod', reason: 'a confidential client authenticates with client_secret_basic or client_secret_post' });
  }
  if (spec.type === 'public' && spec.pkce === 'optional') {
    problems.push({ name: '/pkce', reason: 'public clients always require PKCE' });
  }
  if (grants.has('authorization_code') && (spec.redirectUris ?? []).length === 0) {
    problems.push({ name: '/redirectUris', reason: 'authorization_code requires at least one redirect URI' });
  }
  if (grants.has('refresh_token') && !grants.has('authorization_code')) {
    problems.push({ name: '/grantTypes', reason: 'refresh_token is only issued with authorization_code' });
  }
  (spec.redirectUris ?? []).forEach((uri, i) => {
    const reason = redirectUriProblem(uri);
    if (reason !== undefined) problems.push({ name: `/redirectUris/${i}`, reason });
  });
  (spec.postLogoutRedirectUris ?? []).forEach((uri, i) => {
    const reason = redirectUriProblem(uri);
    if (reason !== undefined) problems.push({ name: `/postLogoutRedirectUris/${i}`, reason });
  });
  (spec.allowedCorsOrigins ?? []).forEach((origin, i) => {
    const reason = originProblem(origin);
    if (reason !== undefined) problems.push({ name: `/allowedCorsOrigins/${i}`, reason });
  });
  if (problems.length > 0) {
    throw new ValidationProblem(`${problems[0]!.name.slice(1)}: ${problems[0]!.reason}`, problems);
  }
}
