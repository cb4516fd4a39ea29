import type { User } from '@lanyard/db';
import type { IssuedAccessToken } from '../../domain/tokens/access-token-service.js';
import type { TokenContext } from './token-context.js';
import { resolveAudience } from './grant-client-credentials.js';

export interface UserTokenRequest {
  readonly user: User;
  readonly scopes: readonly string[];
  readonly authTime: Date;
  readonly sessionId: string | null;
  readonly nonce: string | null;
}

/** Access token (+ ID token when `openid` was granted) for a user, shared by the code and refresh grants. */
export async function issueUserTokens(ctx: TokenContext, input: UserTokenRequest): Promise<{ access: IssuedAccessToken; idToken: string | undefined }> {
  const { client, tenant, config, services } = ctx;
  const access = await services.accessTokens.issue({
    tenant,
    client,
    subject: input.user.id,
    scopes: input.scopes,
    audience: resolveAudience(ctx.params.all('resource'), client.audience, ctx.issuer),
    lifetimeSeconds: client.tokenLifetimes.accessToken ?? config.ACCESS_TOKEN_TTL_SECONDS,
    authTime: input.authTime,
    sessionId: input.sessionId,
  });
  const idToken = input.scopes.includes('openid')
    ? await services.idTokens.issue({
        tenant,
        issuer: ctx.issuer,
        client,
        user: input.user,
        scopes: input.scopes,
        authTime: input.authTime,
        nonce: input.nonce,
        sessionId: input.sessionId,
        accessToken: access.token,
        lifetimeSeconds: client.tokenLifetimes.idToken ?? config.ID_TOKEN_TTL_SECONDS,
      })
    : undefined;
  return { access, idToken };
}
