import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema/index.js';

/** The pool-backed database; `$client` is the pool itself (for the few hand-written prepared statements). */
export type Database = NodePgDatabase<typeof schema> & { $client: pg.Pool };

export interface DatabaseHandle {
  readonly db: Database;
  readonly pool: pg.Pool;
  /** Counts for `identity_db_pool_connections` and `identity_db_pool_waiting_requests`. */
  poolStats(): { active: number; idle: number; waiting: number };
  /** One round trip to the server (readiness probes). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  readonly url: string;
  readonly poolMax: number;
  readonly applicationName?: string;
  /** Reports pool-level connection errors (an idle client dropped by the server), which pg would otherwise throw. */
  readonly onPoolError?: (error: Error) => void;
}

/**
 * Opens the pg pool and the drizzle instance over it. Statement timeout keeps a wedged query from
 * holding a connection forever; the pool's connection timeout turns exhaustion into an error the
 * caller can answer with 503 instead of an unbounded wait.
 */
export function createDatabase({ url, poolMax, applicationName = 'lanyard', onPoolError }: CreateDatabaseOptions): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 5_000,
    statement_timeout: 15_000,
    application_name: applicationName,
  });
  pool.on('error', (error) => onPoolError?.(error));
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  return {
    db,
    pool,
    poolStats: () => ({ active: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}
