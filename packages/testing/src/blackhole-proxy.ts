import { createConnection, createServer, type Socket } from 'node:net';

/** A TCP proxy in front of a real server that can start dropping everything, as a dead host or a partition does. */
export interface BlackholeProxy {
  readonly host: string;
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  /**
   * While on: new connections are accepted but never answered, and bytes on open ones go nowhere
   * (no reset, no close: the peer just waits). Turning it off closes the connections that lost
   * bytes (their protocol state is gone), and new connections reach the server again.
   */
  blackhole(on: boolean): void;
  close(): Promise<void>;
}

/** Starts a {@link BlackholeProxy} on an ephemeral loopback port towards `target`. */
export async function startBlackholeProxy(target: { host: string; port: number }): Promise<BlackholeProxy> {
  let dropping = false;
  let connections = 0;
  const open = new Set<Socket>();
  const damaged = new Set<Socket>();

  const server = createServer((client) => {
    connections += 1;
    open.add(client);
    client.on('error', () => undefined);
    client.on('close', () => {
      open.delete(client);
      damaged.delete(client);
    });
    if (dropping) {
      // Accepted by the kernel, then silence: what a client sees of a host that drops packets.
      damaged.add(client);
      client.on('data', () => undefined);
      return;
    }
    const upstream = createConnection(target);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk: Buffer) => {
        if (dropping) damaged.add(client);
        else to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('blackhole proxy: no port');

  return {
    host: '127.0.0.1',
    port: address.port,
    get connections() {
      return connections;
    },
    blackhole(on) {
      dropping = on;
      if (on) return;
      for (const socket of damaged) socket.destroy();
      damaged.clear();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
