import { sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Database } from '@lanyard/db';

export interface BatchLimits {
  /** Rows per DELETE statement. */
  readonly batchSize: number;
  /** Statements per call; what is left over waits for the next scheduled run. */
  readonly maxBatches: number;
}

/**
 * Deletes the rows of `table` matching `where`, `batchSize` at a time, each batch its own short
 * statement (and transaction), so a large backlog never holds row locks or bloats one transaction.
 * Rows are picked by `ctid` (a TID scan, no index needed); `where` is checked again on the row
 * being deleted, so a row updated since it was picked is only deleted if it still matches.
 * Returns the number of rows deleted.
 */
export async function deleteInBatches(db: Database, table: PgTable, where: SQL, limits: BatchLimits): Promise<number> {
  let deleted = 0;
  for (let batch = 0; batch < limits.maxBatches; batch++) {
    const result = await db.execute(
      sql`delete from ${table} where ctid = any(array(select ctid from ${table} where ${where} limit ${limits.batchSize})) and ${where}`,
    );
    const count = result.rowCount ?? 0;
    deleted += count;
    if (count < limits.batchSize) break;
  }
  return deleted;
}
