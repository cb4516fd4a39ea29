import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { randomToken, tokenHash } from '@lanyard/security';
import type { RedisCall } from '../../infra/redis-guard.js';
import { expiredCookie, PENDING_SIGN_IN_COOKIE, pendingSignInCookieOptions } from '../cookies.js';

/**
 * A sign-in whose first factor is done and whose second is still due (entering a code, or
 * enrolling a factor the policy requires). No session exists yet: only this record, in Redis,
 * reached through a cookie of this browser (its hash is the key), for {@link PENDING_SIGN_IN_TTL_SECONDS}.
 */
export interface PendingSignIn {
  readonly tenantId: string;
  readonly userId: string;
  /** RFC 8176 methods achieved so far, e.g. `['pwd']`. */
  readonly amr: readonly string[];
  /** The app's authorization request this sign-in continues; absent for the account page. */
  readonly interactionId?: string;
  /**
   * CSP `form-action` sources of its pages: the client's redirect URI origin, since the last POST
   * ends in a 303 there and Chromium applies form-action to that redirect.
   */
  readonly formAction?: readonly string[];
  /** Enrolment is asked for but may be deferred (the tenant's grace period still runs). */
  readonly deferrable?: boolean;
  /**
   * An enrolment was confirmed during this sign-in: its recovery codes, shown on the next page
   * (at most ten minutes in Redis, gone with the record), then the sign-in completes.
   */
  readonly enrolledCodes?: readonly string[];
  /**
   * The RFC 8176 method of the factor enrolled with those codes (`otp` for an app, `hwk`/`swk` for
   * a passkey); absent means `otp`, the only one that came with codes before passkeys did.
   */
  readonly enrolledMethod?: string;
  readonly csrfToken: string;
}

/** Ten minutes to find the phone and type a code; the same as most peers' second-factor timeouts. */
export const PENDING_SIGN_IN_TTL_SECONDS = 600;

export class PendingSignIns {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly guard: RedisCall,
  ) {}

  /** Starts one for this browser, replacing any it had. */
  async start(reply: FastifyReply, tenant: string, pending: Omit<PendingSignIn, 'csrfToken'>): Promise<PendingSignIn> {
    const handle = randomToken(32);
    const record: PendingSignIn = { ...pending, csrfToken: randomToken(24) };
    await this.guard.run(() => this.redis.set(this.#key(handle), JSON.stringify(record), 'EX', PENDING_SIGN_IN_TTL_SECONDS));
    reply.setCookie(PENDING_SIGN_IN_COOKIE, handle, pendingSignInCookieOptions(tenant));
    return record;
  }

  /** This browser's pending sign-in at `tenantId`, if any. */
  async find(request: FastifyRequest, tenantId: string): Promise<PendingSignIn | undefined> {
    const handle = request.cookies[PENDING_SIGN_IN_COOKIE];
    if (handle === undefined || !/^[A-Za-z0-9_-]{43}$/.test(handle)) return undefined;
    const raw = await this.guard.run(() => this.redis.get(this.#key(handle)));
    if (raw === null) return undefined;
    const pending = JSON.parse(raw) as PendingSignIn;
    return pending.tenantId === tenantId ? pending : undefined;
  }

  async update(request: FastifyRequest, pending: PendingSignIn): Promise<void> {
    const handle = request.cookies[PENDING_SIGN_IN_COOKIE];
    if (handle === undefined) return;
    await this.guard.run(() => this.redis.set(this.#key(handle), JSON.stringify(pending), 'EX', PENDING_SIGN_IN_TTL_SECONDS, 'XX'));
  }

  /**
   * Ends it: single use, so a second submission of the same form finds nothing. True only for the
   * caller that actually removed it (two parallel completions: one wins).
   */
  async finish(request: FastifyRequest, reply: FastifyReply, tenant: string): Promise<boolean> {
    const handle = request.cookies[PENDING_SIGN_IN_COOKIE];
    reply.setCookie(PENDING_SIGN_IN_COOKIE, '', expiredCookie(pendingSignInCookieOptions(tenant)));
    if (handle === undefined || !/^[A-Za-z0-9_-]{43}$/.test(handle)) return false;
    return (await this.guard.run(() => this.redis.del(this.#key(handle)))) === 1;
  }

  #key(handle: string): string {
    return `${this.keyPrefix}pending-sign-in:${tokenHash(handle).toString('base64url')}`;
  }
}
