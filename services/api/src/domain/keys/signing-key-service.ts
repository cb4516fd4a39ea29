import { eq } from 'drizzle-orm';
import { signingKeys, type Database, type Executor, isDatabaseUnavailable } from '@lanyard/db';
import type { Clock } from '@lanyard/clock';
import type { EnvelopeCipher } from '@lanyard/security';
import { MAX_SIGNED_TOKEN_LIFETIME_SECONDS, rotateSigningKeys, SIGNING_ALGS, SigningKeyRing, type RotationPolicy, type SigningAlg, type UsableKey } from '@lanyard/signing-keys';
import { LoadThrough } from '../../infra/load-through.js';
import { TtlCache } from '../../infra/ttl-cache.js';
import { STALE_IF_UNAVAILABLE_MS } from '../../infra/stale-if-unavailable.js';
import type { InvalidationBus } from '../../infra/invalidation-bus.js';

export interface SigningKeyPolicyConfig {
  readonly SIGNING_KEY_ROTATION_DAYS: number;
  readonly SIGNING_KEY_PUBLISH_AHEAD_SECONDS: number;
}

export const rotationPolicy = (config: SigningKeyPolicyConfig): RotationPolicy => ({
  rotationPeriodSeconds: config.SIGNING_KEY_ROTATION_DAYS * 86_400,
  publishAheadSeconds: config.SIGNING_KEY_PUBLISH_AHEAD_SECONDS,
  maxTokenLifetimeSeconds: MAX_SIGNED_TOKEN_LIFETIME_SECONDS,
});

/** What token issuers and verifiers need: a tenant's key ring. */
export type KeyRings = Pick<SigningKeyService, 'ring' | 'signingKey'>;

/**
 * Per-tenant key rings, decrypted once and cached for a minute. Successors are published an hour
 * (by default) before they sign, so a minute of cache staleness never makes us sign with a key that
 * relying parties have not seen. Rotation itself is the worker's job; the API only makes sure a
 * tenant has a key.
 */
/** The algorithms a tenant has a key for from the moment it exists. */
const FIRST_KEY_ALGS: readonly SigningAlg[] = ['ES256'];

export class SigningKeyService {
  readonly #rings: LoadThrough<string, SigningKeyRing>;

  constructor(
    private readonly db: Database,
    private readonly cipher: EnvelopeCipher,
    private readonly policy: RotationPolicy,
    bus: InvalidationBus,
    private readonly clock: Clock,
  ) {
    this.#rings = new LoadThrough(new TtlCache(60_000, 10_000, clock, STALE_IF_UNAVAILABLE_MS), (tenantId) => this.#load(tenantId), isDatabaseUnavailable);
    bus.on((m) => {
      if (m.kind === 'signing-keys') this.#rings.invalidate(m.tenantId);
    });
  }

  ring(tenantId: string): Promise<SigningKeyRing> {
    return this.#rings.get(tenantId);
  }

  /** The key of `alg` that signs for the tenant now, or undefined if it has none (a server error upstream). */
  async signingKey(tenantId: string, alg: SigningAlg): Promise<UsableKey | undefined> {
    return (await this.ring(tenantId)).signingKey(this.clock(), alg);
  }

  /**
   * Creates a new tenant's first key, ES256, what it signs with by default (idempotent, safe under
   * concurrency). Its RS256 key comes with the first load of its key ring (its first token, JWKS or
   * discovery request; see {@link #load}) or the worker's next rotation pass, whichever is first:
   * an RSA-2048 key is ~150 ms of CPU, which a platform applying hundreds of tenants at once
   * should not pay for all of them up front, and many tenants never sign with RS256 at all.
   */
  async ensureKeys(tenantId: string, executor: Executor = this.db): Promise<void> {
    await rotateSigningKeys(executor, this.cipher, tenantId, this.policy, this.clock(), FIRST_KEY_ALGS);
  }

  /**
   * False when KEY_ENCRYPTION_KEY cannot decrypt the keys already stored (a changed or mistyped
   * key); true when it can, or when there is nothing stored yet.
   */
  async canDecryptStoredKeys(): Promise<boolean> {
    const [sample] = await this.db.select().from(signingKeys).limit(1);
    if (sample === undefined) return true;
    try {
      this.cipher.decrypt(sample.privateKeyCiphertext, sample.kid);
      return true;
    } catch {
      return false;
    }
  }

  async #load(tenantId: string): Promise<SigningKeyRing> {
    let rows = await this.db.select().from(signingKeys).where(eq(signingKeys.tenantId, tenantId));
    let ring = new SigningKeyRing(rows, this.cipher);
    if (SIGNING_ALGS.some((alg) => ring.signingKey(this.clock(), alg) === undefined)) {
      // A new tenant's first use (it is created with its ES256 key only), a tenant restored from
      // backup without keys, or one whose worker has been down past a rotation.
      rows = (await rotateSigningKeys(this.db, this.cipher, tenantId, this.policy, this.clock())).keys;
      ring = new SigningKeyRing(rows, this.cipher);
    }
    return ring;
  }
}
