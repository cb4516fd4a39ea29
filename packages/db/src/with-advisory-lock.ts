import type pg from 'pg';

/**
 * Runs `work` while this process holds the PostgreSQL session advisory lock `key`, taken on a
 * dedicated connection (so `work` may use the pool freely). Replicas starting together serialise
 * here: migrations and bootstrap happen exactly once, in order.
 */
export async function withAdvisoryLock<T>(pool: pg.Pool, key: number, work: (connection: pg.PoolClient) => Promise<T>): Promise<T> {
  const connection = await pool.connect();
  try {
    await connection.query('select pg_advisory_lock($1)', [key]);
    return await work(connection);
  } finally {
    await connection.query('select pg_advisory_unlock($1)', [key]).catch(() => undefined);
    connection.release();
  }
}
