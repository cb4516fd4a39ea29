import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createDatabase, runMigrations } from '@lanyard/db';
import { dropDatabase } from './test-database.js';
import { databaseUrl, testEnvironment } from './test-environment.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Name of this run's migrated template database. */
    templateDatabase: string;
  }
}

/**
 * Vitest global setup for integration tests: creates a template database with every migration
 * applied, once per run, under a name unique to the run (several runs may share one server). Each
 * test file then clones it (`CREATE DATABASE … TEMPLATE`), which takes milliseconds and isolates
 * files from each other completely.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const admin = new pg.Client({ connectionString: testEnvironment.databaseAdminUrl });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `PostgreSQL is not reachable at ${testEnvironment.databaseAdminUrl} (${(error as Error).message}). Run scripts/provision-services.sh first.`,
    );
  }
  const template = `${testEnvironment.templatePrefix}_${randomBytes(4).toString('hex')}`;
  await admin.query(`create database ${template}`);
  const handle = createDatabase({ url: databaseUrl(template), poolMax: 2, applicationName: 'lanyard-test-setup' });
  try {
    await runMigrations(handle.db);
  } finally {
    await handle.close();
  }
  await admin.end();
  project.provide('templateDatabase', template);
  return () => dropDatabase(template);
}
