import type { Redis } from 'ioredis';
import type { Logger } from '@lanyard/logger';

/** What changed; every replica drops its cached copy on receipt. */
export type Invalidation =
  | { readonly kind: 'tenant'; readonly tenant: string; readonly tenantId: string }
  | { readonly kind: 'client'; readonly tenantId: string; readonly clientId: string }
  | { readonly kind: 'signing-keys'; readonly tenantId: string };

type Listener = (message: Invalidation) => void;

/**
 * Cross-replica cache invalidation over Redis pub/sub. Local listeners run synchronously on
 * `publish`, so a write is visible to the next request on the same replica without waiting for the
 * round trip; other replicas follow within milliseconds. Caches also expire on their own, so a lost
 * message costs at most one TTL of staleness.
 */
export class InvalidationBus {
  readonly #listeners: Listener[] = [];
  readonly #channel: string;
  readonly #origin = crypto.randomUUID();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    keyPrefix: string,
    private readonly log: Logger,
  ) {
    this.#channel = `${keyPrefix}invalidate`;
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== this.#channel) return;
      try {
        const { origin, message } = JSON.parse(raw) as { origin: string; message: Invalidation };
        if (origin !== this.#origin) this.#emit(message);
      } catch (error) {
        this.log.warn({ err: error }, 'ignored malformed invalidation message');
      }
    });
    await this.subscriber.subscribe(this.#channel);
  }

  on(listener: Listener): void {
    this.#listeners.push(listener);
  }

  async publish(message: Invalidation): Promise<void> {
    this.#emit(message);
    await this.publisher.publish(this.#channel, JSON.stringify({ origin: this.#origin, message }));
  }

  #emit(message: Invalidation): void {
    for (const listener of this.#listeners) listener(message);
  }
}
