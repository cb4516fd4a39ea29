import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { imageEnvironment } from './production-bundle.js';
import { repoRoot } from './settings.js';

const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** Pins this process (all its threads) to `cpus`, so the load generator stays off the server's core. */
export function pinSelf(cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(process.pid)], { stdio: 'ignore' });
}

/** User + system CPU seconds a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** A process's resident set in MiB: now (`VmRSS`) or its peak so far (`VmHWM`), from Linux /proc. */
export function rssMiB(pid: number, which: 'VmRSS' | 'VmHWM' = 'VmRSS'): number {
  try {
    const kib = new RegExp(`${which}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kib === undefined ? Number.NaN : Number(kib) / 1024;
  } catch {
    return Number.NaN;
  }
}

/** Pids of every process for which `matches(pid)` holds (Linux /proc); one that ends meanwhile is skipped. */
export function pidsWhere(matches: (pid: string) => boolean): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (matches(entry)) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

/** Pids of every process whose command name is `name` (postgres backends, redis-server). */
export const pidsNamed = (name: string): number[] => pidsWhere((pid) => readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === name);

/**
 * CPU seconds of the process under test (and of its main thread alone: the event loop, whatever
 * runs on libuv's pool or V8's helpers is the rest), PostgreSQL and Redis between creation and `stop()`.
 */
export function cpuMeter(serverPid: number): { stop(): { server: number; serverMainThread: number; postgres: number; redis: number } } {
  const sample = () => {
    const postgres = pidsNamed('postgres');
    const redis = pidsNamed('redis-server');
    return {
      server: cpuSeconds(serverPid),
      serverMainThread: cpuSeconds(serverPid, serverPid),
      postgres: new Map(postgres.map((pid) => [pid, cpuSeconds(pid)])),
      redis: redis.reduce((sum, pid) => sum + cpuSeconds(pid), 0),
    };
  };
  const before = sample();
  return {
    stop() {
      const after = sample();
      let postgres = 0;
      // Backends that started during the run count from zero; ones that ended are lost (approximate).
      for (const [pid, seconds] of after.postgres) postgres += seconds - (before.postgres.get(pid) ?? 0);
      return { server: after.server - before.server, serverMainThread: after.serverMainThread - before.serverMainThread, postgres, redis: after.redis - before.redis };
    },
  };
}

export interface PinnedProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx <entry>` (or plain `node <entry>` for a built `.js` bundle) pinned to
 * `cpus` with exactly `env` (plus PATH/HOME). The pid is node's own: taskset execs it. With `ipc`,
 * the child gets a message channel.
 */
export function spawnPinned(cpus: string, entry: string, env: Record<string, string>, options: { ipc?: boolean; args?: string[] } = {}): PinnedProcess {
  const bundle = entry.endsWith('.js');
  const loader = bundle ? [] : ['--import', 'tsx'];
  // A production bundle runs with the image's environment under the caller's, as in a container.
  return spawnPinnedCommand(cpus, process.execPath, [...loader, entry, ...(options.args ?? [])], { ...(bundle ? imageEnvironment() : {}), ...env }, options);
}

/**
 * Starts `command` pinned to `cpus` with exactly `env` (plus PATH/HOME). The pid is the command's
 * own as long as it execs its real process (taskset does; so does Keycloak's kc.sh).
 */
export function spawnPinnedCommand(cpus: string, command: string, args: readonly string[], env: Record<string, string>, options: { ipc?: boolean } = {}): PinnedProcess {
  const child = spawn('taskset', ['-c', cpus, command, ...args], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    pid: child.pid!,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a pinned probe script to completion and parses the JSON it prints last. */
export async function runProbe<T>(cpus: string, entry: string, env: Record<string, string>): Promise<T> {
  const probe = spawnPinned(cpus, entry, env);
  const code = await new Promise<number | null>((resolve) => probe.child.once('exit', (c) => resolve(c)));
  const lines = probe.output().trim().split('\n');
  if (code !== 0) throw new Error(`${entry} exited with ${code}:\n${probe.output()}`);
  return JSON.parse(lines[lines.length - 1]!) as T;
}

/** Polls `url` until it answers 200, or fails with the process output. */
export async function waitForHttp(url: string, processUnderTest: PinnedProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processUnderTest.child.exitCode !== null) throw new Error(`process exited before ${url} answered:\n${processUnderTest.output()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${url}:\n${processUnderTest.output()}`);
}

/** A free loopback port (bind to 0, read, release). */
