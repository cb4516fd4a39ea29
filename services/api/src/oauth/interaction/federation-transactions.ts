import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { randomToken, tokenHash } from '@lanyard/security';
import type { RedisCall } from '../../infra/redis-guard.js';
import type { FreshnessDemand } from '../../domain/federation/upstream-freshness.js';
import { expiredCookie, FEDERATION_COOKIE, federationCookieOptions } from '../cookies.js';

/** One sign-in through an upstream provider, from `/start` to `/callback`. */
export interface FederationTransaction {
  readonly tenantId: string;
  readonly provider: string;
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  /** Our own client's authorization request this sign-in continues; absent for the account page. */
  readonly interactionId?: string;
  /**
   * When the browser was sent to the upstream (epoch ms), and what we asked of its authentication;
   * absent in a transaction a replica of an older version started during a rolling update.
   */
  readonly startedAt?: number;
  readonly freshness?: FreshnessDemand;
}

/** Ten minutes to sign in at the upstream. */
export const FEDERATION_TTL_SECONDS = 600;

/**
 * The transaction is kept in Redis under the hash of a random handle, and the handle lives only in
 * this browser's `HttpOnly; Secure; SameSite=Lax` cookie (Lax: the upstream's redirect back is a
 * cross-site top-level navigation, on which a Strict cookie is not sent). `take` removes it
 * (GETDEL), so a callback is answered once: a replayed or a second callback finds nothing.
 */
export class FederationTransactions {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly guard: RedisCall,
  ) {}

  async start(reply: FastifyReply, tenant: string, transaction: FederationTransaction): Promise<void> {
    const handle = randomToken(32);
    await this.guard.run(() => this.redis.set(this.#key(handle), JSON.stringify(transaction), 'EX', FEDERATION_TTL_SECONDS));
    reply.setCookie(FEDERATION_COOKIE, handle, federationCookieOptions(tenant));
  }

  /** This browser's transaction, removed as it is read; undefined without a cookie or once used or expired. */
  async take(request: FastifyRequest, reply: FastifyReply, tenant: string): Promise<FederationTransaction | undefined> {
    const handle = request.cookies[FEDERATION_COOKIE];
    reply.setCookie(FEDERATION_COOKIE, '', expiredCookie(federationCookieOptions(tenant)));
    if (handle === undefined || !/^[A-Za-z0-9_-]{43}$/.test(handle)) return undefined;
    const raw = await this.guard.run(() => this.redis.getdel(this.#key(handle)));
    return raw === null ? undefined : (JSON.parse(raw) as FederationTransaction);
  }

  #key(handle: string): string {
    return `${this.keyPrefix}federation:${tokenHash(handle).toString('base64url')}`;
  }
}
