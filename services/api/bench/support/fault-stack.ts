import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startBlackholeProxy, startPrivatePostgres, startSmtpSink, type BlackholeProxy, type PrivatePostgres, type SmtpSink } from '@lanyard/testing';
import { startLanyard, type LanyardServer } from './lanyard.js';
import { spawnPinned, waitForHttp, type PinnedProcess } from './processes.js';
import { productionBundle } from './production-bundle.js';
import { benchSecrets, repoRoot, settings } from './settings.js';

/** A Redis of the suite's own, with an append-only file fsynced per write, as a queue's Redis runs. */
class PrivateRedis {
  #child: ChildProcess | undefined;
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), mkdtempSync(join(tmpdir(), 'lanyard-fault-redis-')));
    await redis.start();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--appendonly', 'yes', '--appendfsync', 'always', '--save', ''], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('Ready to accept connections')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}`)));
    });
    this.#child = child;
  }

  /** SIGTERM: Redis writes its append-only file and exits, as on a rolling restart. */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    await new Promise<void>((resolve) => child.once('exit', () => resolve()).kill('SIGTERM'));
    this.#child = undefined;
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Everything the fault suite runs and breaks, each piece its own so stopping it touches nothing
 * else on the machine: a PostgreSQL cluster, a Redis, an SMTP server, and the production bundles
 * of the API (`node dist/api.js`) and the worker (`node dist/worker.js`), the API pinned to the
 * server CPUs as in the other benches.
 */
export class FaultStack {
  api!: LanyardServer;
  worker!: PinnedProcess;
  readonly #prefix = `fault:${randomBytes(4).toString('hex')}:`;
  /** The API's audit spool, kept across its restart (a restarted process replays it). */
  readonly #spoolDir = mkdtempSync(join(tmpdir(), 'lanyard-fault-spool-'));
  #apiPort = 0;
  readonly #workerLogs: string[] = [];

  private constructor(
    readonly postgres: PrivatePostgres,
    /** The API reaches PostgreSQL through it, so the suite can make the host go silent (packets dropped) as well as stop the server. */
    readonly postgresPath: BlackholeProxy,
    readonly redis: PrivateRedis,
    readonly smtp: SmtpSink,
  ) {}

  static async start(): Promise<FaultStack> {
    const postgres = await startPrivatePostgres();
    const target = new URL(postgres.url);
    const path = await startBlackholeProxy({ host: target.hostname, port: Number(target.port) });
    const stack = new FaultStack(postgres, path, await PrivateRedis.start(), await startSmtpSink());
    try {
      execFileSync('npm', ['run', '--silent', 'migrate'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: postgres.url }, stdio: ['ignore', 'ignore', 'inherit'] });
      stack.#apiPort = await freePort();
      await stack.startApi();
      await stack.startWorker();
      return stack;
    } catch (error) {
      await stack.stop();
      throw error;
    }
  }

  get databaseUrl(): string {
    return this.postgres.url;
  }

  async startApi(): Promise<void> {
    const viaPath = new URL(this.postgres.url);
    viaPath.host = `${this.postgresPath.host}:${this.postgresPath.port}`;
    this.api = await startLanyard(
      viaPath.toString(),
      {
        REDIS_URL: this.redis.url,
        REDIS_KEY_PREFIX: this.#prefix,
        // The shipped default deadline: the suite measures what production does.
        REDIS_COMMAND_TIMEOUT_MS: '50',
        RATE_LIMIT_EMAILS_PER_ADDRESS_PER_HOUR: '1000',
        AUDIT_SPOOL_DIR: this.#spoolDir,
        SHUTDOWN_GRACE_SECONDS: '20',
        // As the chart runs it (5 s there): kept-alive clients are moved off before the listener closes.
        SHUTDOWN_DRAIN_SECONDS: '2',
      },
      productionBundle('api'),
      this.#apiPort,
    );
  }

  /** Log lines of every worker process so far (the one killed included). */
  workerLog(): string[] {
    return [...this.#workerLogs, this.worker?.output() ?? ''].join('\n').split('\n');
  }

  async startWorker(): Promise<void> {
    if (this.worker !== undefined) this.#workerLogs.push(this.worker.output());
    const port = await freePort();
    this.worker = spawnPinned(settings.clientCpus, productionBundle('worker'), {
      NODE_ENV: 'production',
      // Info: a line per message sent, with its Message-ID, for the duplicate report.
      LOG_LEVEL: 'info',
      WORKER_HOST: '127.0.0.1',
      WORKER_PORT: String(port),
      DATABASE_URL: this.postgres.url,
      REDIS_URL: this.redis.url,
      REDIS_KEY_PREFIX: this.#prefix,
      SMTP_URL: this.smtp.url,
      KEY_ENCRYPTION_KEY: benchSecrets.keyEncryptionKey,
      PUBLIC_URL: this.api.baseUrl,
    });
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, this.worker);
  }

  async stop(): Promise<void> {
    await this.api?.stop().catch(() => undefined);
    await this.worker?.stop().catch(() => undefined);
    await this.smtp.close().catch(() => undefined);
    await this.redis.destroy().catch(() => undefined);
    await this.postgresPath.close().catch(() => undefined);
    await this.postgres.destroy().catch(() => undefined);
    rmSync(this.#spoolDir, { recursive: true, force: true });
  }
}
