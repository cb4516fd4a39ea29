export { createDatabase, type CreateDatabaseOptions, type Database, type DatabaseHandle } from './create-database.js';
export { runMigrations, migrationsFolder } from './run-migrations.js';
export * from './schema/index.js';
