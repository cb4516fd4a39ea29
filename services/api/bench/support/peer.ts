import { Redis } from 'ioredis';
import { benchSecrets, settings } from './settings.js';
import { freePort } from '@lanyard/testing';
import { spawnPinned, waitForHttp, type PinnedProcess } from './processes.js';

export interface PeerServer {
  readonly issuer: string;
  readonly process: PinnedProcess;
  /** Refresh tokens saved straight into the peer's adapter (its cheap pre-seeding path). */
  mint(count: number): Promise<string[]>;
  stop(): Promise<void>;
}

/** Where the peer keeps grants and tokens: a Map (its best case) or Redis (how it is run for real). */
export type PeerAdapter = 'memory' | 'redis';

/** The peer's label in tables. */
export const peerLabel = (adapter: PeerAdapter) => (adapter === 'memory' ? 'node-oidc-provider 9.13 (in memory)' : 'node-oidc-provider 9.13 (Redis adapter)');

/** node-oidc-provider in its own pinned process, same NODE_ENV and thread pool as the API. */
export async function startPeer(adapter: PeerAdapter = 'memory'): Promise<PeerServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const redisPrefix = `bench-peer:${port}:`;
  const child = spawnPinned(
    settings.serverCpus,
    'services/api/bench/support/peer-server.ts',
    {
      NODE_ENV: 'production',
      PORT: String(port),
      UV_THREADPOOL_SIZE: String(settings.uvThreadpoolSize),
      PEER_SERVICE_SECRET: benchSecrets.serviceSecret,
      PEER_WEB_SECRET: benchSecrets.webSecret,
      PEER_ADAPTER: adapter,
      PEER_REDIS_URL: settings.redisUrl,
      PEER_REDIS_PREFIX: redisPrefix,
    },
    { ipc: true },
  );
  await waitForHttp(`${issuer}/.well-known/openid-configuration`, child);
  return {
    issuer,
    process: child,
    async stop() {
      await child.stop();
      if (adapter === 'redis') await removeKeys(redisPrefix);
    },
    mint(count) {
      return new Promise((resolve, reject) => {
        const onMessage = (message: { type: string; tokens?: string[]; message?: string }) => {
          child.child.off('message', onMessage);
          if (message.type === 'minted') resolve(message.tokens!);
          else reject(new Error(`peer could not mint refresh tokens: ${message.message}`));
        };
        child.child.on('message', onMessage);
        child.child.send({ type: 'mint', count });
      });
    },
  };
}

/** Removes what a Redis-backed peer stored (refresh pools are tens of thousands of keys with 14-day TTLs). */
async function removeKeys(prefix: string): Promise<void> {
  const redis = new Redis(settings.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
