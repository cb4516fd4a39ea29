// Process entry point: configuration, logging, listening and graceful shutdown (STYLE.md: app.ts never listens).
import { loadWorkerConfigOrExit } from '@lanyard/config';
import { createLogger } from '@lanyard/logger';
import { buildApp } from './app.js';
import { createWorkerContext } from './context.js';

const config = loadWorkerConfigOrExit();
const log = createLogger({ service: 'worker', level: config.LOG_LEVEL });

const ctx = createWorkerContext(config, log);
const app = await buildApp(ctx);
let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    log.error({ graceSeconds: config.SHUTDOWN_GRACE_SECONDS }, 'shutdown grace period exceeded; exiting');
    process.exit(1);
  }, config.SHUTDOWN_GRACE_SECONDS * 1000);
  force.unref();
  // Workers first: stop taking jobs and let the ones in progress finish, then the HTTP side and
  // the connections.
  await ctx.close();
  await app.close();
  log.info('shutdown complete');
  process.exit(0);
}
// Registered before listening: a SIGTERM that arrives as soon as the port opens is still graceful.
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

try {
  await ctx.start();
  await app.listen({ host: config.WORKER_HOST, port: config.WORKER_PORT });
} catch (error) {
  // Redis unreachable or the port taken: say so on one line and let the orchestrator restart us.
  log.fatal({ err: error }, 'worker failed to start');
  process.exit(1);
}
