export { createDatabase, type CreateDatabaseOptions, type Database, type DatabaseHandle, type DatabaseLog } from './create-database.js';
export type { Executor } from './executor.js';
export { runMigrations, migrationsFolder } from './run-migrations.js';
export { withAdvisoryLock } from './with-advisory-lock.js';
export { isDatabaseUnavailable } from './database-unavailable.js';
export { tableRowSql, type TableRowSql } from './table-row-sql.js';
export { StatementBatcher, type StatementBatcherOptions, type BatchRunner } from './statement-batcher.js';
export * from './schema/index.js';
