import { InvalidRequest } from '@lanyard/errors';
import { parseScope, requireSubset } from '../scopes.js';
import type { AuthorizeStep } from './authorize-context.js';

const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

/**
 * Rules:
 * - every requested scope must be registered for the client (`invalid_scope`);
 * - `offline_access` (OIDC Core §11) is granted only with `prompt=consent` or to a first-party
 *   client, and only if the client may use refresh tokens; otherwise it is ignored, as §11 says;
 * - `prompt` values are known ones, and `none` stands alone (OIDC Core §3.1.2.1);
 * - `max_age` is a non-negative integer; `login_hint` is bounded.
 */
export const checkScopeAndPrompt: AuthorizeStep = (ctx) => {
  const client = ctx.client!;
  const prompt = (ctx.params.get('prompt') ?? '').split(' ').filter((p) => p !== '');
  const unknown = prompt.find((p) => !PROMPTS.has(p));
  if (unknown !== undefined) throw new InvalidRequest(`Unsupported prompt value: ${unknown}.`);
  if (prompt.includes('none') && prompt.length > 1) throw new InvalidRequest('prompt=none cannot be combined with other values.');
  ctx.result.prompt = prompt.filter((p): p is 'none' | 'login' | 'consent' => p !== 'select_account');

  const requested = parseScope(ctx.params.get('scope')) ?? [];
  requireSubset(requested, client.scopes);
  const offlineAllowed = client.grantTypes.includes('refresh_token') && (prompt.includes('consent') || client.firstParty);
  ctx.result.scopes = requested.filter((s) => s !== 'offline_access' || offlineAllowed);

  const maxAge = ctx.params.get('max_age');
  if (maxAge !== undefined && !/^\d{1,9}$/.test(maxAge)) throw new InvalidRequest('max_age must be a non-negative integer.');
  ctx.result.maxAge = maxAge === undefined ? null : Number(maxAge);
  const loginHint = ctx.params.get('login_hint') ?? null;
  if (loginHint !== null && loginHint.length > 254) throw new InvalidRequest('login_hint is too long.');
  ctx.result.loginHint = loginHint;
};
