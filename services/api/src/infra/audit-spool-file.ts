import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@lanyard/logger';
import { parseAuditRow, type AuditRow } from '../domain/audit/audit-row.js';
import type { AuditSpool } from '../domain/audit/audit-log.js';

/** `audit-<database scope>-<pid>-<instance>.jsonl`: one file per running audit log. */
const SPOOL_FILE = /^audit-([0-9a-f]{16})-(\d{1,10})-([0-9a-f]{16})\.jsonl$/;
const REPLAY_CHUNK = 1_000;

/** Instances alive in this process, so two audit logs of one process never take each other's file. */
const liveInstances = new Set<string>();

/**
 * Which database a spool file belongs to: host, port and database name of DATABASE_URL, hashed
 * (never the password). Two APIs sharing a directory but not a database never replay each
 * other's events.
 */
export function spoolScope(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return createHash('sha256').update(`${url.hostname}:${url.port || '5432'}${url.pathname}`).digest('hex').slice(0, 16);
}

/**
 * Whether the process that wrote a file may still append to it. A file with our pid but another
 * instance comes from an earlier run (pid 1 again, in a restarted container) unless that instance
 * is alive in this process.
 */
function ownerAlive(pid: number, instance: string): boolean {
  if (pid === process.pid) return liveInstances.has(instance);
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * The audit log's durable fallback: JSON lines in a local directory, fsynced before `append`
 * resolves. In Kubernetes the directory is the pod's /tmp emptyDir, which outlives a crashed
 * container; files left by a process that is gone are replayed by the next one. Callers serialise
 * `append` and `replay` (the audit log does).
 */
export class FileAuditSpool implements AuditSpool {
  readonly #instance = randomBytes(8).toString('hex');
  readonly #file: string;
  #pending = 0;
  #bytes = 0;

  constructor(
    private readonly directory: string,
    private readonly scope: string,
    private readonly maxBytes: number,
    private readonly log: Logger,
  ) {
    this.#file = join(directory, `audit-${scope}-${process.pid}-${this.#instance}.jsonl`);
    liveInstances.add(this.#instance);
  }

  get pending(): number {
    return this.#pending;
  }

  async append(rows: readonly AuditRow[]): Promise<void> {
    const data = rows.map((row) => `${JSON.stringify(row)}\n`).join('');
    const size = Buffer.byteLength(data);
    if (this.#bytes + size > this.maxBytes) throw new Error(`the audit spool is full (AUDIT_SPOOL_MAX_BYTES=${this.maxBytes})`);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const handle = await open(this.#file, 'a', 0o600);
    try {
      await handle.write(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.#bytes += size;
    this.#pending += rows.length;
  }

  async replay(write: (rows: readonly AuditRow[]) => Promise<unknown>): Promise<number> {
    let replayed = 0;
    for (const path of await this.#replayableFiles()) {
      const rows = await this.#read(path);
      if (rows === undefined) continue;
      for (let start = 0; start < rows.length; start += REPLAY_CHUNK) await write(rows.slice(start, start + REPLAY_CHUNK));
      // Only once every row is in the table; a replay cut short starts the file again (the
      // table ignores rows it already holds).
      await unlink(path).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
      if (path === this.#file) {
        this.#pending = 0;
        this.#bytes = 0;
      }
      replayed += rows.length;
    }
    return replayed;
  }

  /** The rows this instance holds, for the last-resort log at shutdown. */
  async held(): Promise<AuditRow[]> {
    return (await this.#read(this.#file)) ?? [];
  }

  /** Forgets this instance (its file stays, for the next process to replay). */
  release(): void {
    liveInstances.delete(this.#instance);
  }

  async #replayableFiles(): Promise<string[]> {
    let names: string[];
    try {
      names = await readdir(this.directory);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    return names
      .map((name) => ({ name, match: SPOOL_FILE.exec(name) }))
      .filter(({ match }) => match !== null && match[1] === this.scope && (match[3] === this.#instance || !ownerAlive(Number(match[2]), match[3]!)))
      .map(({ name }) => join(this.directory, name));
  }

  async #read(path: string): Promise<AuditRow[] | undefined> {
    let content: string;
    try {
      content = await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const rows: AuditRow[] = [];
    let unreadable = 0;
    for (const line of content.split('\n')) {
      if (line === '') continue;
      let row: AuditRow | undefined;
      try {
        row = parseAuditRow(JSON.parse(line));
      } catch {
        row = undefined;
      }
      if (row === undefined) unreadable += 1;
      else rows.push(row);
    }
    // A line torn by a crash mid-append (the process died with those events in memory) or a
    // file edited by hand: skipped, never inserted half-read.
    if (unreadable > 0) this.log.error({ file: path, unreadable }, 'audit spool lines that are not audit rows were skipped');
    return rows;
  }
}
