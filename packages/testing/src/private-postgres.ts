import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** A PostgreSQL server of one test's own, so it can be stopped and restarted for real. */
export interface PrivatePostgres {
  /** `postgres://lanyard@127.0.0.1:<port>/postgres` (trust authentication on loopback). */
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its data directory. */
  destroy(): Promise<void>;
}

/** The newest Debian PostgreSQL's binaries (`/usr/lib/postgresql/<version>/bin`). */
function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))) : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (newest === undefined) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (scripts/provision-services.sh installs them)');
  return join(root, newest, 'bin');
}

/**
 * initdb refuses to run as root, and CI runs as root: the server then runs as Debian's
 * `postgres` user, which owns the data directory.
 */
async function asServerUser(binary: string, args: string[]): Promise<void> {
  const asRoot = process.getuid?.() === 0;
  await (asRoot ? run('runuser', ['-u', 'postgres', '--', binary, ...args]) : run(binary, args));
}

/**
 * Creates and starts a throwaway cluster on a free loopback port (about two seconds): durability
 * settings off, since the data is the test's own.
 */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  const directory = mkdtempSync(join(tmpdir(), 'lanyard-pg-'));
  const data = join(directory, 'data');
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    chownSync(directory, Number(stdout.trim()), Number(group.trim()));
  }
  const port = await freePort();
  await asServerUser(join(bin, 'initdb'), ['-D', data, '-U', 'lanyard', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`;
  const start = () => asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-o', options, '-l', join(directory, 'server.log'), '-w', '-t', '30', 'start']);
  const stop = () => asServerUser(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']);
  await start();
  let running = true;
  return {
    url: `postgres://lanyard@127.0.0.1:${port}/postgres`,
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      if (running) await stop().catch(() => undefined);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
