import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createDatabase } from '@lanyard/db';
import { repoRoot, settings } from './settings.js';

export interface BenchDatabase {
  readonly url: string;
  /** Drops the database if this process created it. */
  release(): Promise<void>;
}

/**
 * The database the API under test uses: BENCH_DATABASE_URL when given (run-all.sh provisions one for
 * all scripts), otherwise a fresh `lanyard_bench_*` database migrated with `npm run migrate` and
 * dropped at the end.
 */
export async function benchDatabase(): Promise<BenchDatabase> {
  if (settings.databaseUrl !== undefined) return { url: settings.databaseUrl, release: async () => {} };
  const name = `lanyard_bench_${randomBytes(4).toString('hex')}`;
  await admin(`create database ${name}`);
  const url = new URL(settings.databaseAdminUrl);
  url.pathname = `/${name}`;
  execFileSync('npm', ['run', '--silent', 'migrate'], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: url.toString() }, stdio: ['ignore', 'ignore', 'inherit'] });
  return { url: url.toString(), release: () => admin(`drop database if exists ${name} with (force)`) };
}

/** Runs one statement as the bench's admin role (CREATE / DROP DATABASE). */
export async function admin(sql: string): Promise<void> {
  const handle = createDatabase({ url: settings.databaseAdminUrl, poolMax: 2, applicationName: 'lanyard-bench' });
  try {
    await handle.pool.query(sql);
  } finally {
    await handle.close();
  }
}
