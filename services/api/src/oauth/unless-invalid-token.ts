import { InvalidToken } from '@lanyard/errors';

/**
 * For `.catch`: an invalid token becomes `undefined` (inactive, or nothing to revoke), while an
 * outage behind the checks (database, Redis) stays an error — never a verdict about the token.
 */
export function unlessInvalidToken(error: unknown): undefined {
  if (error instanceof InvalidToken) return undefined;
  throw error;
}
