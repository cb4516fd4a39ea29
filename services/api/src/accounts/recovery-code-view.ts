import type { Redis } from 'ioredis';
import type { RedisCall } from '../infra/redis-guard.js';

/** What the account page says once the codes were seen: which change made them. */
export type RecoveryCodesNotice = 'totp_enabled' | 'passkey_added' | 'codes_regenerated';

export interface HeldRecoveryCodes {
  readonly codes: readonly string[];
  readonly notice: RecoveryCodesNotice;
}

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

  async hold(sessionId: string, held: HeldRecoveryCodes): Promise<void> {
    await this.guard.run(() => this.redis.set(this.#key(sessionId), JSON.stringify(held), 'EX', 300));
  }

  async take(sessionId: string): Promise<HeldRecoveryCodes | undefined> {
    const raw = await this.guard.run(() => this.redis.getdel(this.#key(sessionId)));
    if (raw === null) return undefined;
    const held = JSON.parse(raw) as HeldRecoveryCodes | string[];
    // A bare list was held by a replica of the release before, which only an app's set-up made.
    return Array.isArray(held) ? { codes: held, notice: 'totp_enabled' } : held;
  }

  #key(sessionId: string): string {
    return `${this.keyPrefix}recovery-view:${sessionId}`;
  }
}
