import pg from 'pg';
import { createDatabase, runMigrations } from '@lanyard/db';
import { databaseUrl, testEnvironment } from './test-environment.js';

/**
 * Vitest global setup for integration tests: (re)creates a template database with every migration
 * applied, once per run. Each test file then clones it (`CREATE DATABASE … TEMPLATE`), which takes
 * milliseconds and isolates files from each other completely.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const admin = new pg.Client({ connectionString: testEnvironment.databaseAdminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${testEnvironment.databaseAdminUrl} (${(error as Error).message}). Run scripts/provision-services.sh first.`,
    );
  }
  const template = testEnvironment.templateDatabase;
  await admin.query(`drop database if exists ${template} with (force)`);
  await admin.query(`create database ${template}`);
  const handle = createDatabase({ url: databaseUrl(template), poolMax: 2, applicationName: 'lanyard-test-setup' });
  try {
    await runMigrations(handle.db);
  } finally {
    await handle.close();
  }
  await admin.end();
  return async () => {};
}
