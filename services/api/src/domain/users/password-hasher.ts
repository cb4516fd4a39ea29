import argon2 from 'argon2';
import { Semaphore } from '../../infra/semaphore.js';

export interface Argon2Parameters {
  readonly memoryCost: number;
  readonly timeCost: number;
  readonly parallelism: number;
}

/**
 * Argon2id password hashing (RFC 9106; OWASP minimum m=19 MiB, t=2, p=1) with a concurrency cap.
 * `verify` reports when a stored hash uses weaker parameters than configured, so the caller can
 * rehash on a successful login.
 */
export class PasswordHasher {
  readonly #semaphore: Semaphore;
  #dummyHash: Promise<string> | undefined;

  constructor(
    private readonly params: Argon2Parameters,
    concurrency: number,
  ) {
    this.#semaphore = new Semaphore(concurrency);
  }

  hash(password: string): Promise<string> {
    return this.#semaphore.run(() => argon2.hash(password, { type: argon2.argon2id, ...this.params }));
  }

  async verify(storedHash: string, password: string): Promise<{ valid: boolean; needsRehash: boolean }> {
    const valid = await this.#semaphore.run(() => argon2.verify(storedHash, password).catch(() => false));
    return { valid, needsRehash: valid && argon2.needsRehash(storedHash, { ...this.params }) };
  }

  /**
   * Spends the same work as a real verification, for an unknown user or one without a password, so
   * response time does not reveal which accounts exist.
   */
  async verifyNothing(password: string): Promise<false> {
    this.#dummyHash ??= this.hash('lanyard-timing-equalizer');
    await this.verify(await this.#dummyHash, password);
    return false;
  }
}
