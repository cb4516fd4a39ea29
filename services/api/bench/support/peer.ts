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

/** node-oidc-provider in its own pinned process, same NODE_ENV and thread pool as the API. */
export async function startPeer(): Promise<PeerServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const child = spawnPinned(
    settings.serverCpus,
    'services/api/bench/support/peer-server.ts',
    {
      NODE_ENV: 'production',
      PORT: String(port),
      UV_THREADPOOL_SIZE: String(settings.uvThreadpoolSize),
      PEER_SERVICE_SECRET: benchSecrets.serviceSecret,
      PEER_WEB_SECRET: benchSecrets.webSecret,
    },
    { ipc: true },
  );
  await waitForHttp(`${issuer}/.well-known/openid-configuration`, child);
  return {
    issuer,
    process: child,
    stop: () => child.stop(),
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
