import { Redis } from 'ioredis';

/**
 * What a connection is for:
 * - `commands`: queue commands, scheduler upserts, readiness and metrics. `maxRetriesPerRequest: 1`
 *   makes commands fail fast while Redis is down, so `/readyz` and `/metrics` answer instead of hanging;
 * - `worker`: a BullMQ worker, which requires `maxRetriesPerRequest: null` so its blocking commands
 *   wait through a Redis restart instead of failing the job loop.
 */
export type RedisPurpose = 'commands' | 'worker';

/** One ioredis connection; reconnection continues in the background either way. */
export function createRedis(url: string, name: string, purpose: RedisPurpose): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: purpose === 'worker' ? null : 1,
    enableOfflineQueue: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}
