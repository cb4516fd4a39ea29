import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { ConnectCircuit } from './connect-circuit.js';
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

/** The two log calls the pool makes (a pino logger fits). */
export interface DatabaseLog {
  warn(fields: { err: Error }, message: string): void;
  info(message: string): void;
}

export interface CreateDatabaseOptions {
  readonly url: string;
  readonly poolMax: number;
  readonly applicationName?: string;
  /**
   * Where the pool reports what happens to it without a caller to tell: an idle connection dropped by
   * the server (which pg would otherwise throw), and the circuit opening and closing.
   */
  readonly log?: DatabaseLog;
  /** Told when PostgreSQL stops answering (the circuit opens: every checkout fails at once) and when a probe gets through again. */
  readonly onCircuitChange?: (open: boolean, cause?: Error) => void;
  /** How long a new connection may take, and how often the open circuit probes. @default 5000, 1000 */
  readonly connectTimeoutMs?: number;
  readonly probeIntervalMs?: number;
  /**
   * Client-side bound on a query's answer, past the server's statement_timeout: the server cancels a
   * slow statement itself, so this only fires when the server is not answering at all. @default 20000
   */
  readonly queryTimeoutMs?: number;
}

/**
 * Opens the pg pool and the drizzle instance over it. Statement timeout keeps a wedged query from
 * holding a connection forever; the pool's connection timeout turns exhaustion into an error the
 * caller can answer with 503 instead of an unbounded wait; the circuit (connect-circuit.ts) keeps a
 * silent server from costing every request that timeout.
 */
export function createDatabase(options: CreateDatabaseOptions): DatabaseHandle {
  const { url, poolMax, applicationName = 'lanyard', log, connectTimeoutMs = 5_000, probeIntervalMs = 1_000, queryTimeoutMs = 20_000 } = options;
  const pool = new pg.Pool({
    connectionString: url,
    max: poolMax,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: connectTimeoutMs,
    statement_timeout: 15_000,
    query_timeout: queryTimeoutMs,
    // A connection to a host that vanished is noticed by TCP keepalive, not after the kernel's retransmission timeout.
    keepAlive: true,
    application_name: applicationName,
  });
  pool.on('error', (error) => log?.warn({ err: error }, 'idle database connection lost'));
  const circuit = new ConnectCircuit({
    probeIntervalMs,
    onChange: (open, cause) => {
      if (open) log?.warn({ err: cause! }, 'database not answering: requests that need it answer 503 at once until a probe gets through');
      else log?.info('database answering again');
      options.onCircuitChange?.(open, cause);
    },
    probe: async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, query_timeout: connectTimeoutMs, application_name: applicationName });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('select 1');
      } finally {
        // Not awaited: ending a connection to a silent server would wait for it too.
        void client.end().catch(() => undefined);
      }
    },
  });
  circuit.install(pool);
  const db = drizzle(pool, { schema, casing: 'snake_case' });
  return {
    db,
    pool,
    poolStats: () => ({ active: pool.totalCount - pool.idleCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    ping: async () => {
      await pool.query('select 1');
    },
    close: async () => {
      circuit.close();
      await pool.end();
    },
  };
}
