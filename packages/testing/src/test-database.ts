import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { databaseUrl, testEnvironment } from './test-environment.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Runs SQL directly (fault injection, assertions on rows) on a short-lived connection. */
  query<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<T>>;
  drop(): Promise<void>;
}

/** A private database cloned from this run's migrated template (see global-setup). */
export const createTestDatabase = () => createDatabaseLike('lanyard_test', inject('templateDatabase'));

/** A database with nothing in it, for testing the migrate command itself. */
export const createEmptyDatabase = () => createDatabaseLike('lanyard_empty', undefined);

async function createDatabaseLike(prefix: string, template: string | undefined): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await withAdmin((admin) => admin.query(template === undefined ? `create database ${name}` : `create database ${name} template ${template}`));
  const url = databaseUrl(name);
  return {
    name,
    url,
    async query(text, values) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return await client.query(text, values);
      } finally {
        await client.end();
      }
    },
    drop: () => dropDatabase(name),
  };
}

/**
 * Drops a test database, ending any connection still in it. A drop that races a background
 * process (autovacuum) is retried briefly; cleanup never fails a test.
 */
export async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await withAdmin((admin) => admin.query(`drop database if exists ${name} with (force)`));
      return;
    } catch (error) {
      if (attempt === 5) {
        process.stderr.write(`test database ${name} left behind: ${(error as Error).message}\n`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: testEnvironment.databaseAdminUrl });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}
