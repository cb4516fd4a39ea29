import { Redis } from 'ioredis';

/**
 * One ioredis connection. `maxRetriesPerRequest: 1` makes commands fail fast while Redis is down
 * (readiness then reports it) instead of queueing forever; reconnection continues in the background.
 */
export function createRedis(url: string, name: string): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}
