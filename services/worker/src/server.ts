// Process entry point: configuration, logging, listening and graceful shutdown (docs/architecture.md "House style": app.ts never listens).
import { loadWorkerConfigOrExit } from '@lanyard/config';
import { installGracefulShutdown } from '@lanyard/health';
import { createLogger } from '@lanyard/logger';
import { buildApp } from './app.js';
import { createWorkerContext } from './context.js';

const config = loadWorkerConfigOrExit();
const log = createLogger({ service: 'worker', level: config.LOG_LEVEL });

const ctx = createWorkerContext(config, log);
const app = await buildApp(ctx);
// Installed before listening: a SIGTERM that arrives as soon as the port opens is still graceful.
installGracefulShutdown({
  log,
  graceSeconds: config.SHUTDOWN_GRACE_SECONDS,
  async stop() {
    // Workers first: stop taking jobs and let the ones in progress finish; then HTTP and connections.
    await ctx.close();
    await app.close();
  },
});

try {
  await ctx.start();
  await app.listen({ host: config.WORKER_HOST, port: config.WORKER_PORT });
} catch (error) {
  // Redis unreachable or the port taken: say so on one line and let the orchestrator restart us.
  log.fatal({ err: error }, 'worker failed to start');
  process.exit(1);
}
