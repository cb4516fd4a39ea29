import { Redis } from 'ioredis';

/**
 * One ioredis connection. `maxRetriesPerRequest: 1` makes commands fail fast while Redis is down
 * (readiness then reports it) instead of queueing forever; reconnection continues in the background.
 *
 * `autoPipelining` (the command connection only): commands issued in one event-loop turn go out in
 * one write. Every token request makes one limiter call, and writing each to the socket alone cost
 * about a tenth of the main thread's CPU under load (the loopback send runs in the caller's time).
 */
export function createRedis(url: string, name: string, options: { autoPipelining?: boolean } = {}): Redis {
  return new Redis(url, {
    connectionName: name,
    enableAutoPipelining: options.autoPipelining ?? false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: true,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
}
