import type { Redis } from 'ioredis';
import type { RedisCall } from '../infra/redis-guard.js';

/**
 * Recovery codes between the POST that made them and the page that shows them (Post/Redirect/Get):
 * kept for five minutes under the session, and removed by the read that shows them, so the page
 * shows them exactly once and a reload shows nothing.
 */
export class RecoveryCodeView {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly guard: RedisCall,
  ) {}

  async hold(sessionId: string, codes: readonly string[]): Promise<void> {
    await this.guard.run(() => this.redis.set(this.#key(sessionId), JSON.stringify(codes), 'EX', 300));
  }

  async take(sessionId: string): Promise<string[] | undefined> {
    const raw = await this.guard.run(() => this.redis.getdel(this.#key(sessionId)));
    return raw === null ? undefined : (JSON.parse(raw) as string[]);
  }

  #key(sessionId: string): string {
    return `${this.keyPrefix}recovery-view:${sessionId}`;
  }
}
