import type { Redis } from 'ioredis';
import { tokenHash } from '@lanyard/security';
import type { RedisCall } from '../../infra/redis-guard.js';
import { CEREMONY_TIMEOUT_MS } from '../../domain/mfa/passkey-service.js';

/**
 * Who a challenge was issued to: the session (registration on the account page), the pending
 * sign-in (its second factor, or a passkey set up during a sign-in that must enrol one), or the
 * browser (passwordless).
 */
export type ChallengeOwner = `${'register' | 'enrol' | 'second-factor' | 'sign-in'}:${string}`;

/**
 * WebAuthn challenges (§13.4.3: random, issued by the server, used once). Each is kept in Redis
 * for the ceremony's timeout under its owner, and taken (GETDEL) by the one request that checks
 * the answer, so a response cannot be replayed and a challenge of one owner never verifies for
 * another. A new page for the same owner replaces it.
 */
export class WebauthnChallenges {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly guard: RedisCall,
  ) {}

  async hold(owner: ChallengeOwner, challenge: string): Promise<void> {
    await this.guard.run(() => this.redis.set(this.#key(owner), challenge, 'PX', CEREMONY_TIMEOUT_MS));
  }

  async take(owner: ChallengeOwner): Promise<string | undefined> {
    return (await this.guard.run(() => this.redis.getdel(this.#key(owner)))) ?? undefined;
  }

  #key(owner: ChallengeOwner): string {
    // Owners carry session ids and cookie values: hashed, so Redis holds no usable handle.
    return `${this.keyPrefix}webauthn-challenge:${tokenHash(owner).toString('base64url')}`;
  }
}
