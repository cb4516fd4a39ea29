// `npm run migrate`: applies the committed migrations to DATABASE_URL and exits.
import { coreShape, loadConfigOrExit, secretNames } from '@lanyard/config';
import * as z from 'zod/mini';
import { createDatabase } from '../create-database.js';
import { runMigrations } from '../run-migrations.js';

const { DATABASE_URL } = loadConfigOrExit(z.object({ DATABASE_URL: coreShape.DATABASE_URL }), secretNames);
const handle = createDatabase({ url: DATABASE_URL, poolMax: 1, applicationName: 'lanyard-migrate' });
try {
  await runMigrations(handle.db);
  console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'migrate', msg: 'migrations applied' }));
} catch (error) {
  console.error(JSON.stringify({ level: 'error', time: new Date().toISOString(), service: 'migrate', msg: 'migration failed', err: { message: (error as Error).message } }));
  process.exitCode = 1;
} finally {
  await handle.close();
}
