import { eq } from 'drizzle-orm';
import { signingKeys, type Database } from '@lanyard/db';
import type { EnvelopeCipher } from '@lanyard/security';
import { MAX_SIGNED_TOKEN_LIFETIME_SECONDS, rotateSigningKeys, SigningKeyRing, type RotationPolicy } from '@lanyard/signing-keys';
import { LoadThrough } from '../../infra/load-through.js';
import { TtlCache } from '../../infra/ttl-cache.js';
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

/**
 * Per-tenant key rings, decrypted once and cached for a minute. Successors are published an hour
 * (by default) before they sign, so a minute of cache staleness never makes us sign with a key that
 * relying parties have not seen. Rotation itself is the worker's job; the API only makes sure a
 * tenant has a key.
 */
export class SigningKeyService {
  readonly #rings: LoadThrough<string, SigningKeyRing>;

  constructor(
    private readonly db: Database,
    private readonly cipher: EnvelopeCipher,
    private readonly policy: RotationPolicy,
    bus: InvalidationBus,
  ) {
    this.#rings = new LoadThrough(new TtlCache(60_000, 10_000), (tenantId) => this.#load(tenantId));
    bus.on((m) => {
      if (m.kind === 'signing-keys') this.#rings.invalidate(m.tenantId);
    });
  }

  ring(tenantId: string): Promise<SigningKeyRing> {
    return this.#rings.get(tenantId);
  }

  /** Creates the first key of a tenant if it has none (idempotent, safe under concurrency). */
  async ensureKeys(db: Database, tenantId: string): Promise<void> {
    await rotateSigningKeys(db, this.cipher, tenantId, this.policy);
  }

  async #load(tenantId: string): Promise<SigningKeyRing> {
    let rows = await this.db.select().from(signingKeys).where(eq(signingKeys.tenantId, tenantId));
    let ring = new SigningKeyRing(rows, this.cipher);
    if (ring.signingKey() === undefined) {
      // A tenant restored from backup without keys, or whose worker has been down past a rotation.
      rows = (await rotateSigningKeys(this.db, this.cipher, tenantId, this.policy)).keys;
      ring = new SigningKeyRing(rows, this.cipher);
    }
    return ring;
  }
}
