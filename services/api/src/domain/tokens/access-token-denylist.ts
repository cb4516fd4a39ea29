import type { Redis } from 'ioredis';
import { epochMs, type Clock } from '@lanyard/clock';

/**
 * Revoked access tokens (by `jti`) until they would have expired anyway. JWT access tokens are
 * verified locally by resource servers, so revocation is only visible to our own introspection and
 * userinfo — which is why access tokens stay short-lived (RFC 9068 §5, RFC 7009 §2).
 */
export class AccessTokenDenylist {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly clock: Clock,
  ) {}

  async add(jti: string, expiresAt: Date): Promise<void> {
    const ttl = Math.ceil((expiresAt.getTime() - epochMs(this.clock)) / 1000);
    if (ttl > 0) await this.redis.set(`${this.keyPrefix}revoked-jti:${jti}`, '1', 'EX', ttl);
  }

  async has(jti: string): Promise<boolean> {
    return (await this.redis.exists(`${this.keyPrefix}revoked-jti:${jti}`)) === 1;
  }
}
