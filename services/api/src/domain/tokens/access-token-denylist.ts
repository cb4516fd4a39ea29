import type { Redis } from 'ioredis';
import { epochMs, type Clock } from '@lanyard/clock';
import { MAX_ACCESS_TOKEN_LIFETIME_SECONDS } from '@lanyard/contracts';
import type { RedisCall } from '../../infra/redis-guard.js';

/**
 * Revoked access tokens until they would have expired anyway: one by one (by `jti`, RFC 7009), and
 * all those of an ended session (by `sid`: logout, "end this session", an admin ending them). JWT access tokens are
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
    if (ttl > 0) await this.guard.run(() => this.redis.set(this.#jtiKey(jti), '1', 'EX', ttl));
  }

  /**
   * No access token issued in these sessions is accepted again. Tokens carry their session as
   * `sid`; none outlives the longest lifetime a client may set, so neither does the entry.
   */
  async revokeSessions(sessionIds: readonly string[]): Promise<void> {
    if (sessionIds.length === 0) return;
    await this.guard.run(() => {
      const batch = this.redis.pipeline();
      for (const id of sessionIds) batch.set(this.#sidKey(id), '1', 'EX', MAX_ACCESS_TOKEN_LIFETIME_SECONDS);
      return replies(batch.exec());
    });
  }

  /** Whether the token with this `jti` (and `sid`, for a user token) was revoked: one round trip. */
  async has(jti: string, sid?: string): Promise<boolean> {
    if (sid === undefined) return (await this.guard.run(() => this.redis.exists(this.#jtiKey(jti)))) === 1;
    // Two commands in one pipeline rather than one EXISTS of two keys, which Redis Cluster refuses across slots.
    const counts = await this.guard.run(() => replies(this.redis.pipeline().exists(this.#jtiKey(jti)).exists(this.#sidKey(sid)).exec()));
    return counts.some((count) => count === 1);
  }

  #jtiKey(jti: string): string {
    return `${this.keyPrefix}revoked-jti:${jti}`;
  }

  #sidKey(sid: string): string {
    return `${this.keyPrefix}revoked-sid:${sid}`;
  }
}

/** A pipeline's replies, or the first command's error: ioredis resolves a pipeline even when a command in it failed. */
async function replies(pending: Promise<[Error | null, unknown][] | null>): Promise<unknown[]> {
  const results = (await pending) ?? [];
  const failed = results.find(([error]) => error !== null)?.[0];
  if (failed) throw failed;
  return results.map(([, reply]) => reply);
}
