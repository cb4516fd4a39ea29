import { captureLogs } from '@lanyard/testing';
import { createLogger, type Logger } from '@lanyard/logger';

/** A real pino logger whose lines are kept, parsed, for assertions. */
export function captureLogger(service: string): { log: Logger; lines: Array<Record<string, unknown>> } {
  const captured = captureLogs();
  return { log: createLogger({ service, level: 'debug', destination: captured.destination }), lines: captured.lines };
}
