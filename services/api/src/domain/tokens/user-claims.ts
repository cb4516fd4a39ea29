import type { User } from '@lanyard/db';

/** Claims released per scope (OIDC Core §5.4). Only what we store; never anything else. */
export function userClaims(user: User, scopes: readonly string[]): Record<string, unknown> {
  const claims: Record<string, unknown> = {};
  if (scopes.includes('email')) {
    claims.email = user.email;
    claims.email_verified = user.emailVerified;
  }
  if (scopes.includes('profile')) {
    if (user.name !== null) claims.name = user.name;
    claims.updated_at = Math.floor(user.updatedAt.getTime() / 1000);
  }
  return claims;
}
