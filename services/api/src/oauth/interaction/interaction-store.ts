import type { Redis } from 'ioredis';
import { InvalidRequest } from '@lanyard/errors';
import { randomToken } from '@lanyard/security';
import type { RedisCall } from '../../infra/redis-guard.js';
import type { AuthorizationRequest } from '../authorize/authorization-request.js';

/**
 * A login/consent interaction in progress: the validated authorization request plus what the user
 * has done so far. Lives in Redis (shared by replicas) for at most `ttlSeconds`; bound to the
 * browser that started it through the hash of a cookie, so a form cannot be completed from another
 * browser (login CSRF, session fixation).
 */
export interface Interaction {
  readonly id: string;
  readonly request: AuthorizationRequest;
  readonly browserBindingHash: string;
  readonly csrfToken: string;
  /** Set once the user authenticated in this interaction. */
  readonly userId?: string;
  readonly sessionId?: string;
  readonly authTime?: number;
  readonly amr?: readonly string[];
  /** The user chose "not now" when asked to enrol a second factor during the grace period. */
  readonly mfaDeferred?: boolean;
  /** Set when the user approved the consent screen in this interaction. */
  readonly consented?: boolean;
  /** Message for the next rendering of the login form (Post/Redirect/Get). */
  readonly loginError?: string | undefined;
  /** A confirmation for the next rendering of the login form, e.g. after an email was verified. */
  readonly loginNotice?: string | undefined;
  readonly loginEmail?: string;
}

/**
 * The largest interaction we store. Every field is bounded where it enters (state ≤ 2 KiB, nonce,
 * login hint, a registered redirect URI, registered scopes), so a real one is a few KiB; the cap
 * makes the Redis memory per interaction a known figure (docs/reference/rate-limits.md).
 */
export const MAX_INTERACTION_BYTES = 8_192;

export class InteractionStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlSeconds: number,
    /** Fails at once while Redis is away: the login page answers 503 instead of hanging. */
    private readonly guard: RedisCall,
  ) {}

  async create(request: AuthorizationRequest, browserBindingHash: string): Promise<Interaction> {
    const interaction: Interaction = { id: randomToken(24), request, browserBindingHash, csrfToken: randomToken(24) };
    await this.save(interaction);
    return interaction;
  }

  async find(id: string | undefined): Promise<Interaction | undefined> {
    if (id === undefined || !/^[A-Za-z0-9_-]{32}$/.test(id)) return undefined;
    const raw = await this.guard.run(() => this.redis.get(this.#key(id)));
    return raw === null ? undefined : (JSON.parse(raw) as Interaction);
  }

  async save(interaction: Interaction): Promise<void> {
    const serialized = JSON.stringify(interaction);
    if (Buffer.byteLength(serialized) > MAX_INTERACTION_BYTES) throw new InvalidRequest('The authorization request is too large.', { detail: `interaction of ${serialized.length} characters` });
    await this.guard.run(() => this.redis.set(this.#key(interaction.id), serialized, 'EX', this.ttlSeconds));
  }

  /** Ends the interaction; returns false if it was already gone (double submit). */
  async delete(id: string): Promise<boolean> {
    return (await this.guard.run(() => this.redis.del(this.#key(id)))) === 1;
  }

  #key(id: string): string {
    return `${this.keyPrefix}interaction:${id}`;
  }
}
