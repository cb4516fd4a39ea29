import type { ClaimRequest, ClaimsRequest } from '@lanyard/db';
import { InvalidRequest } from '@lanyard/errors';
import type { AuthorizeStep } from './authorize-context.js';

const MEMBER_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
const MAX_MEMBERS = 50;

/** One member of `userinfo` or `id_token`: null, or an object with `essential`, `value`, `values` (§5.5.1). */
function readClaim(name: string, raw: unknown): ClaimRequest {
  if (raw === null) return null;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidRequest(`claims: ${name} must be null or an object.`);
  const { essential, value, values } = raw as Record<string, unknown>;
  if (essential !== undefined && typeof essential !== 'boolean') throw new InvalidRequest(`claims: ${name}.essential must be a boolean.`);
  if (values !== undefined && !Array.isArray(values)) throw new InvalidRequest(`claims: ${name}.values must be an array.`);
  return {
    ...(essential === undefined ? {} : { essential }),
    ...(value === undefined ? {} : { value }),
    ...(values === undefined ? {} : { values: values as unknown[] }),
  };
}

function readTarget(target: 'userinfo' | 'id_token', raw: unknown): Record<string, ClaimRequest> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new InvalidRequest(`claims: ${target} must be an object.`);
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > MAX_MEMBERS) throw new InvalidRequest(`claims: ${target} may request at most ${MAX_MEMBERS} claims.`);
  const out: Record<string, ClaimRequest> = {};
  for (const [name, value] of entries) {
    if (!MEMBER_NAME.test(name)) throw new InvalidRequest(`claims: ${target} has an invalid claim name.`);
    out[name] = readClaim(name, value);
  }
  return out;
}

/**
 * The `claims` request parameter (OIDC Core §5.5) and `acr_values` (§3.1.2.1). Rules:
 * - `claims` is a JSON object with optional `userinfo` and `id_token` members, each mapping claim
 *   names to null or `{essential, value, values}`; anything else is `invalid_request`;
 * - unknown claims are accepted and simply not returned (§5.5: the OP may ignore them);
 * - `acr_values` is a space-separated list of requested authentication context classes; the ID
 *   token then carries the `acr` achieved (§2), which the token endpoint decides.
 */
export const checkClaimsRequest: AuthorizeStep = (ctx) => {
  const raw = ctx.params.get('claims');
  let claims: ClaimsRequest | null = null;
  if (raw !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new InvalidRequest('claims must be a JSON object (OIDC Core §5.5).');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidRequest('claims must be a JSON object (OIDC Core §5.5).');
    const { userinfo, id_token } = parsed as Record<string, unknown>;
    const request = { userinfo: readTarget('userinfo', userinfo), id_token: readTarget('id_token', id_token) };
    claims = {
      ...(request.userinfo === undefined ? {} : { userinfo: request.userinfo }),
      ...(request.id_token === undefined ? {} : { id_token: request.id_token }),
    };
  }
  ctx.result.claims = claims;
  const acrValues = (ctx.params.get('acr_values') ?? '').split(' ').filter((v) => v !== '');
  if (acrValues.some((v) => v.length > 200) || acrValues.length > 10) throw new InvalidRequest('acr_values is too long.');
  ctx.result.acrValues = acrValues;
};
