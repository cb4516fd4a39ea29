import type { Logger } from '@lanyard/logger';

export interface GracefulShutdownOptions {
  readonly log: Logger;
  /** After this long the process exits 1 whatever is still running. */
  readonly graceSeconds: number;
  /** Stops the process's work in order (stop accepting, finish in flight, close pools). */
  readonly stop: () => Promise<void>;
}

/**
 * Graceful shutdown for a service process: on SIGTERM/SIGINT (or a call of the returned function,
 * e.g. when leadership is lost) it runs `stop` once, then exits with the given code — or with 1 if
 * the grace period runs out first. Install it before listening, so a signal that arrives as soon as
 * the port opens is still handled gracefully.
 */
export function installGracefulShutdown({ log, graceSeconds, stop }: GracefulShutdownOptions): (reason: string, code?: number) => Promise<void> {
  let stopping = false;
  const shutdown = async (reason: string, code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.info({ reason }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ graceSeconds }, 'shutdown grace period exceeded; exiting');
      process.exit(1);
    }, graceSeconds * 1000);
    force.unref();
    await stop();
    log.info('shutdown complete');
    process.exit(code);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return shutdown;
}
