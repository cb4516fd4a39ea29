import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { NodePgQueryResultHKT } from 'drizzle-orm/node-postgres';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

/**
 * What a query runs on: the pool-backed database or an open transaction. Every query function and
 * domain service method takes one, so a caller can compose several of them into one unit of work
 * (`db.transaction((tx) => …)`) without casts; a nested `executor.transaction()` becomes a savepoint.
 */
export type Executor = PgDatabase<NodePgQueryResultHKT, typeof schema, ExtractTablesWithRelations<typeof schema>>;
