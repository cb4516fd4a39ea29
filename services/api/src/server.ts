// Process entry point: configuration, logging, listening and graceful shutdown (docs/architecture.md: app.ts never listens).
import { setTimeout as sleep } from 'node:timers/promises';
import { loadApiConfigOrExit } from '@lanyard/config';
import { installGracefulShutdown } from '@lanyard/health';
import { createLogger } from '@lanyard/logger';
import { buildApp } from './app.js';
import { buildMetricsApp } from './metrics-app.js';
import { createAppContext } from './context.js';
import { checkKeyEncryptionKey, KeyEncryptionKeyMismatch } from './bootstrap/check-key-encryption-key.js';
import { ensureSystemTenant } from './bootstrap/ensure-system-tenant.js';
import { seedDemo } from './bootstrap/seed-demo.js';
import { lowerHelperThreadPriority } from './infra/lower-helper-thread-priority.js';

const config = loadApiConfigOrExit();
const log = createLogger({ service: 'api', level: config.LOG_LEVEL });

const ctx = await createAppContext(config, log);
try {
  await checkKeyEncryptionKey(ctx.keys);
} catch (error) {
  if (!(error instanceof KeyEncryptionKeyMismatch)) throw error;
  process.stderr.write(`invalid configuration: ${error.message}\n`);
  await ctx.close();
  process.exit(1);
}
await ensureSystemTenant(ctx);
if (config.SEED_DEMO) {
  const demo = await seedDemo(ctx);
  log.info({ tenant: 'demo', issuer: demo.issuer, clientId: demo.clientId }, 'demo tenant seeded');
  process.stdout.write(
    `\n  Demo tenant ready: ${demo.issuer}/.well-known/openid-configuration\n` +
      `  Public client: ${demo.clientId} (authorization code + PKCE)\n` +
      `  User: ${demo.email}${demo.password === null ? ' (already existed; password unchanged)' : ` / ${demo.password}`}\n` +
      `  Try: ${config.PUBLIC_URL}/examples/spa/\n\n`,
  );
}
const app = await buildApp(ctx);
const metricsApp = await buildMetricsApp(ctx);

// Installed before listening: a SIGTERM that arrives as soon as the port opens is still graceful.
installGracefulShutdown({
  log,
  graceSeconds: config.SHUTDOWN_GRACE_SECONDS,
  async stop() {
    // Readiness turns 503 and, for SHUTDOWN_DRAIN_SECONDS, requests are still served while load
    // balancers take us out; then new connections stop, in-flight requests finish, and pools and
    // the audit buffer close.
    ctx.lifecycle.shuttingDown = true;
    if (config.SHUTDOWN_DRAIN_SECONDS > 0) {
      log.info({ drainSeconds: config.SHUTDOWN_DRAIN_SECONDS }, 'draining: not ready, still serving');
      await sleep(config.SHUTDOWN_DRAIN_SECONDS * 1000);
    }
    await app.close();
    await metricsApp.close();
    await ctx.close();
  },
});
if (config.HELPER_THREAD_NICENESS > 0) {
  const lowered = await lowerHelperThreadPriority(config.HELPER_THREAD_NICENESS);
  if ('unsupported' in lowered) log.warn({ reason: lowered.unsupported }, 'helper threads keep their priority');
  else log.info(lowered, 'helper threads deprioritised');
}
await app.listen({ host: config.HOST, port: config.PORT });
await metricsApp.listen({ host: config.HOST, port: config.METRICS_PORT });
