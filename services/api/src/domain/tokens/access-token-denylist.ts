import type { Redis } from 'ioredis';
import { epochMs, type Clock } from '@lanyard/clock';
import type { RedisCall } from '../../infra/redis-guard.js';

/**
 * Revoked access tokens (by `jti`) until they would have expired anyway. JWT access tokens are
 * verified locally by resource servers, so revocation is only visible to our own introspection and
 * userinfo — which is why access tokens stay short-lived (RFC 9068 §5, RFC 7009 §2). Calls go
 * through a guard: with Redis away, `has` fails at once (the caller answers 503) rather than
 * accept a token it cannot check.
 */
export class AccessTokenDenylist {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly clock: Clock,
    private readonly guard: RedisCall,
  ) {}

  async add(jti: string, expiresAt: Date): Promise<void> {
    const ttl = Math.ceil((expiresAt.getTime() - epochMs(this.clock)) / 1000);
    if (ttl > 0) await this.guard.run(() => this.redis.set(`${this.keyPrefix}revoked-jti:${jti}`, '1', 'EX', ttl));
  }

  async has(jti: string): Promise<boolean> {
    return (await this.guard.run(() => this.redis.exists(`${this.keyPrefix}revoked-jti:${jti}`))) === 1;
  }
}
