import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { users, type AuthorizationCode, type Database } from '@lanyard/db';
import { InvalidGrant, InvalidRequest, UnauthorizedClient } from '@lanyard/errors';
import { constantTimeEqual } from '@lanyard/security';
import type { AppContext } from '../../context.js';
import { issueUserTokens } from './issue-user-tokens.js';
import { refreshDelivery, setRefreshCookie } from './refresh-delivery.js';
import type { TokenContext, TokenResponse } from './token-context.js';

/** RFC 7636 §4.1: 43–128 characters from the unreserved set. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/**
 * `authorization_code` (RFC 6749 §4.1.3, RFC 7636 §4.6). Rules:
 * - the client is registered for the grant; `code`, `redirect_uri` and `code_verifier` are present;
 * - the code exists at this tenant, was issued to this client, has not expired, and the
 *   `redirect_uri` is the one of the authorization request, character for character;
 * - BASE64URL(SHA256(code_verifier)) equals the stored challenge (constant-time);
 * - these checks do not consume the code (a wrong guess by another party cannot burn it);
 * - consumption is atomic: of concurrent redemptions exactly one wins; a replay — sequential or
 *   concurrent — revokes what the first redemption issued (RFC 6749 §4.1.2, RFC 9700 §4.5);
 * - a refresh token is issued only to clients registered for `refresh_token`, in a cookie for
 *   browser clients and in the body otherwise.
 */
export async function grantAuthorizationCode(ctx: TokenContext): Promise<TokenResponse> {
  const { client, params, tenant, services: app, request, reply } = ctx;
  if (!client.grantTypes.includes('authorization_code')) throw new UnauthorizedClient('This client may not use the authorization code grant.');
  const code = params.require('code');
  const redirectUri = params.require('redirect_uri');
  const verifier = params.get('code_verifier');
  if (verifier === undefined) throw new InvalidRequest('Missing required parameter: code_verifier (PKCE is required).');
  if (!VERIFIER.test(verifier)) throw new InvalidRequest('code_verifier must be 43-128 characters of [A-Za-z0-9._~-].');
  const delivery = client.grantTypes.includes('refresh_token') ? refreshDelivery(request, client) : undefined;

  const db = app.database.db;
  const row = await app.codes.find(db, code);
  if (row === undefined || row.tenantId !== tenant.id) throw new InvalidGrant('The authorization code is invalid.', { detail: 'unknown code' });
  if (row.clientRef !== client.id) throw new InvalidGrant('The authorization code was issued to another client.', { detail: 'code of another client' });
  if (row.consumedAt !== null) return rejectReplay(app, row);
  if (row.expiresAt.getTime() <= Date.now()) throw new InvalidGrant('The authorization code has expired.', { detail: 'expired code' });
  if (row.redirectUri !== redirectUri) throw new InvalidGrant('redirect_uri does not match the authorization request.', { detail: 'redirect_uri mismatch' });
  const computed = createHash('sha256').update(verifier, 'ascii').digest('base64url');
  if (!constantTimeEqual(computed, row.codeChallenge)) throw new InvalidGrant('PKCE verification failed.', { detail: 'code_verifier mismatch' });

  const outcome = await db.transaction(async (tx) => {
    if (!(await app.codes.consume(tx as unknown as Database, row.codeHash))) return { replay: true as const };
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId));
    if (user === undefined || user.disabled) return { disabled: true as const };
    const family =
      delivery === undefined
        ? undefined
        : await app.refreshTokens.createFamily(tx as unknown as Database, {
            tenantId: tenant.id,
            clientRef: client.id,
            userId: user.id,
            sessionId: row.sessionId,
            scopes: row.scopes,
            authTime: row.authTime,
            delivery,
            idleTtlSeconds: client.tokenLifetimes.refreshTokenIdle ?? ctx.config.REFRESH_TOKEN_IDLE_TTL_SECONDS,
            absoluteTtlSeconds: client.tokenLifetimes.refreshTokenAbsolute ?? ctx.config.REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS,
          });
    const tokens = await issueUserTokens(ctx, { user, scopes: row.scopes, authTime: row.authTime, sessionId: row.sessionId, nonce: row.nonce });
    await app.codes.recordIssued(tx as unknown as Database, row.codeHash, {
      familyId: family?.family.id ?? null,
      jti: tokens.access.jti,
      accessTokenExpiresAt: tokens.access.expiresAt,
    });
    return { user, family, tokens };
  });
  if ('replay' in outcome) return rejectReplay(app, (await app.codes.find(db, code))!);
  if ('disabled' in outcome) throw new InvalidGrant('The user is no longer allowed to sign in.', { detail: 'user disabled or deleted' });

  const { tokens, family } = outcome;
  const body: Record<string, string | number> = {
    access_token: tokens.access.token,
    token_type: 'Bearer',
    expires_in: tokens.access.expiresIn,
    scope: row.scopes.join(' '),
  };
  if (tokens.idToken !== undefined) body.id_token = tokens.idToken;
  if (family !== undefined) {
    const lifetime = (family.family.absoluteExpiresAt.getTime() - Date.now()) / 1000;
    if (delivery === 'cookie') setRefreshCookie(request, reply, tenant.name, client, family.token, lifetime, ctx.config.PUBLIC_URL);
    else body.refresh_token = family.token;
  }
  return { body, userId: outcome.user.id };
}

/** A used code came back: revoke what its first redemption issued, then refuse (RFC 6749 §4.1.2). */
async function rejectReplay(app: AppContext, row: AuthorizationCode): Promise<never> {
  if (row.issuedFamilyId !== null) await app.refreshTokens.revokeFamily(row.issuedFamilyId, 'code_replay');
  if (row.issuedAccessTokenJti !== null && row.issuedAccessTokenExpiresAt !== null) {
    await app.denylist.add(row.issuedAccessTokenJti, row.issuedAccessTokenExpiresAt);
  }
  throw new CodeReplayed();
}

/** Audited as `code_replay` rather than a plain `invalid_grant`. */
export class CodeReplayed extends InvalidGrant {
  readonly auditReason = 'code_replay';
  constructor() {
    super('The authorization code has already been used.', { detail: 'code replay' });
  }
}
